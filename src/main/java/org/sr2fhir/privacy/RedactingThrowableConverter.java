package org.sr2fhir.privacy;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * The log pattern's stack traces ({@code %wEx}, logback-spring.xml): exception messages quote the input (a parser's
 * "invalid date", a server's answer), so they go through {@link Redaction} like messages (decision D47).
 */
public class RedactingThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Redaction.redact(super.throwableProxyToString(proxy));
    }
}
