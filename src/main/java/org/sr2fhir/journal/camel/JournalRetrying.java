package org.sr2fhir.journal.camel;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * The inbox route's {@code onRedeliveryRef}: runs before each retry and records the row as retrying, with the reason
 * the retry decision ({@code deliveryRetry}) classified.
 */
@Component("journalRetrying")
public class JournalRetrying implements Processor {
    private final JournalSteps steps;

    public JournalRetrying(JournalSteps steps) {
        this.steps = steps;
    }

    @Override
    public void process(Exchange exchange) {
        steps.retrying(exchange);
    }
}
