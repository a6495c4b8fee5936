package org.sr2fhir.fhirclient;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Decision D35: when a delivery fails because the FHIR server cannot be reached (redelivery or final failure), the
 * server may come back as another server (an upgrade, a failover to another product): with
 * {@code sr2fhir.fhir.version=auto} its version is read again before the next delivery.
 */
public class FhirServerOutages extends EventNotifierSupport {
    private final FhirServer fhirServer;

    public FhirServerOutages(FhirServer fhirServer) {
        this.fhirServer = fhirServer;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeFailureEvent || event instanceof CamelEvent.ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FhirClientConnectionException) {
                fhirServer.forget();
                return;
            }
        }
    }
}
