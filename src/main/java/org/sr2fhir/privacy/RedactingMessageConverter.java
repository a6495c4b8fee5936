package org.sr2fhir.privacy;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log pattern's {@code %m} / {@code %msg} / {@code %message} (logback-spring.xml): the formatted message through
 * {@link Redaction}, whichever library logged it and at whatever level (decision D47).
 */
public class RedactingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Redaction.redact(super.convert(event));
    }
}
