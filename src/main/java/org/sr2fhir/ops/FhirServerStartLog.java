package org.sr2fhir.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * One start-up line saying which FHIR server the reports go to (its URL without credentials) and whether it
 * answered {@code GET metadata} (decision D73), asked once in the background so start-up does not wait for it.
 */
public class FhirServerStartLog implements ApplicationListener<ApplicationStartedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(FhirServerStartLog.class);

    private final FhirServerProbe probe;
    private final String url;

    public FhirServerStartLog(FhirServerProbe probe, String url) {
        this.probe = probe;
        this.url = url;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        probe.probeNow().thenAccept(answer -> {
            if (answer.up()) {
                LOG.info("FHIR server {} answered: FHIR {}{}", url, answer.fhirVersion(),
                        answer.software() == null ? "" : ", " + answer.software());
            } else {
                LOG.warn("FHIR server {} did not answer ({}): reports wait in the inbox until it does", url,
                        answer.error());
            }
        });
    }
}
