package org.sr2fhir.dicomweb;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.delivery.DeliveryCounters;
import org.sr2fhir.dicomweb.camel.DicomWebHttp;
import org.sr2fhir.dicomweb.camel.DicomWebSteps;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.journal.TestJournals;
import org.sr2fhir.journal.camel.JournalSteps;

/**
 * The DICOMweb source wired as in the application, in a plain CamelContext: {@code routes/dicomweb-to-fhir.yaml}
 * with its sub-routes {@code direct:dicomweb-fetch} and {@code direct:dicomweb-get} running over Camel's http
 * component (the polling route stays stopped, the tests drive the source themselves), the
 * {@code dicomWebHttpClient} and {@code dicomWeb} beans, and a {@link DicomWebSource} whose QIDO-RS searches go
 * through that route.
 */
final class DicomWebCamel implements AutoCloseable {
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final CloseableHttpClient httpClient;
    private final ProducerTemplate template;
    private final DicomWebHttp http;
    private final DicomWebSource source;

    DicomWebCamel(DicomWebProperties settings, Clock clock) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("sr2fhir.dicomweb.url", settings.url().toString());
        camel.getPropertiesComponent().setInitialProperties(properties);
        httpClient = DicomWebHttp.newHttpClient(settings);
        camel.getRegistry().bind("dicomWebHttpClient", httpClient);
        template = camel.createProducerTemplate();
        http = new DicomWebHttp(template);
        source = new DicomWebSource(settings, http, clock);
        FailureReport failureReport = new FailureReport(FhirContext.forR5Cached(),
                new DeliveryCounters(new SimpleMeterRegistry()));
        JournalSteps journal = new JournalSteps(TestJournals.inMemory(), failureReport);
        camel.getRegistry().bind("journal", journal);
        camel.getRegistry().bind("dicomWeb", new DicomWebSteps(source, failureReport, journal));
        PluginHelper.getRoutesLoader(camel)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:routes/dicomweb-to-fhir.yaml"));
        camel.start();
        // sr2fhir.dicomweb.enabled is unset, so no route started by itself
        camel.getRouteController().startRoute("dicomweb-get");
        camel.getRouteController().startRoute("dicomweb-fetch");
    }

    DicomWebHttp http() {
        return http;
    }

    DicomWebSource source() {
        return source;
    }

    /** Sends {@code ref} down {@code direct:dicomweb-fetch}; a failure stays on the returned exchange. */
    Exchange fetch(InstanceRef ref) {
        return template.send("direct:dicomweb-fetch", exchange -> exchange.getMessage().setBody(ref));
    }

    /** The http endpoints Camel made so far. */
    List<Endpoint> httpEndpoints() {
        return camel.getEndpoints().stream().filter(e -> e.getEndpointUri().startsWith("http")).toList();
    }

    @Override
    public void close() throws IOException {
        camel.close();
        httpClient.close();
        source.close();
    }
}
