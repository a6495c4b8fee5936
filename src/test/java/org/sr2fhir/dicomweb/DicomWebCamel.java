package org.sr2fhir.dicomweb;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.mock.env.MockEnvironment;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.delivery.DeliveryCounters;
import org.sr2fhir.delivery.ReportTurns;
import org.sr2fhir.dicomweb.camel.DicomWebHttp;
import org.sr2fhir.dicomweb.camel.DicomWebSteps;
import org.sr2fhir.dicomweb.camel.DicomWebThreads;
import org.sr2fhir.delivery.FailureReport;
import org.sr2fhir.journal.TestJournals;
import org.sr2fhir.journal.camel.JournalSteps;

/**
 * The DICOMweb source wired as in the application, in a plain CamelContext: {@code routes/dicomweb-to-fhir.yaml}
 * with its sub-routes {@code direct:dicomweb-fetch} and {@code direct:dicomweb-get} running over Camel's http
 * component (the polling route stays stopped, the tests drive the source themselves), the
 * {@code dicomWebHttpClient} and {@code dicomWeb} beans, and a {@link DicomWebSource} whose QIDO-RS searches go
 * through that route. A test may add its stand-in for {@code direct:sr-to-fhir} and run polls through
 * {@code direct:dicomweb-poll} on {@code concurrency} threads.
 */
final class DicomWebCamel implements AutoCloseable {
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final CloseableHttpClient httpClient;
    private final ProducerTemplate template;
    private final DicomWebHttp http;
    private final DicomWebSource source;

    DicomWebCamel(DicomWebProperties settings, Clock clock) throws Exception {
        this(settings, clock, 0);
    }

    /** {@code concurrency}: sr2fhir.delivery.concurrency, 0 for its default. */
    DicomWebCamel(DicomWebProperties settings, Clock clock, int concurrency) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("sr2fhir.dicomweb.url", settings.url().toString());
        camel.getPropertiesComponent().setInitialProperties(properties);
        MockEnvironment environment = new MockEnvironment();
        if (concurrency > 0) {
            environment.setProperty("sr2fhir.delivery.concurrency", String.valueOf(concurrency));
        }
        Sr2FhirProperties sr2fhir = new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("sr2fhir", Bindable.of(Sr2FhirProperties.class));
        httpClient = DicomWebHttp.newHttpClient(settings, sr2fhir.delivery().concurrency());
        camel.getRegistry().bind("dicomWebHttpClient", httpClient);
        template = camel.createProducerTemplate();
        http = new DicomWebHttp(template);
        source = new DicomWebSource(settings, http, clock);
        FailureReport failureReport = new FailureReport(FhirContext.forR5Cached(),
                new DeliveryCounters(new SimpleMeterRegistry()));
        JournalSteps journal = new JournalSteps(TestJournals.inMemory(), failureReport);
        camel.getRegistry().bind("journal", journal);
        ReportTurns turns = new ReportTurns(sr2fhir);
        DicomWebSteps steps = new DicomWebSteps(source, failureReport, journal, turns);
        camel.getRegistry().bind("reportTurns", turns);
        camel.getRegistry().bind("dicomWeb", steps);
        camel.getRegistry().bind("dicomWebTurns", Processor.class, (Processor) steps::takeTurn);
        new DicomWebThreads(camel, sr2fhir.delivery().concurrency());
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

    /** Adds a route, e.g. the test's stand-in for {@code direct:sr-to-fhir}. */
    void addRoutes(RouteBuilder routes) throws Exception {
        camel.addRoutes(routes);
    }

    /** One poll through {@code direct:dicomweb-poll}, as the timer runs it; returns when the poll ended. */
    void poll() {
        template.sendBody("direct:dicomweb-poll", null);
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
