package org.sr2fhir.dicomweb.camel;

import org.sr2fhir.delivery.FailureReport;

import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.delivery.ReportTurns;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.journal.camel.JournalSteps;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beans of the DICOMweb source. They always exist, so {@code routes/dicomweb-to-fhir.yaml} resolves even when the
 * route is disabled; a disabled source opens no file and no connection.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DicomWebProperties.class, Sr2FhirProperties.class})
public class DicomWebConfiguration {

    /** The HTTP client of the {@code http} endpoint in {@code direct:dicomweb-get} (timeouts, credentials). */
    @Bean(name = "dicomWebHttpClient", destroyMethod = "close")
    public CloseableHttpClient dicomWebHttpClient(DicomWebProperties settings, Sr2FhirProperties properties) {
        return DicomWebHttp.newHttpClient(settings, properties.delivery().concurrency());
    }

    @Bean(destroyMethod = "close")
    public DicomWebSource dicomWebSource(DicomWebProperties settings, ProducerTemplate template) {
        return new DicomWebSource(settings, new DicomWebHttp(template), Clock.systemUTC());
    }

    @Bean("dicomWeb")
    public DicomWebSteps dicomWebSteps(DicomWebSource source, FailureReport failureReport, JournalSteps journal,
                                       ReportTurns turns) {
        return new DicomWebSteps(source, failureReport, journal, turns);
    }

    /** onPrepare of the poll's parallel split: each SR takes its turn (decision D62). */
    @Bean("dicomWebTurns")
    public Processor dicomWebTurns(DicomWebSteps steps) {
        return steps::takeTurn;
    }

    /** The poll's threads, bound in Camel's registry (a Spring executor bean would replace Spring Boot's own). */
    @Bean
    public DicomWebThreads dicomWebThreads(CamelContext camelContext, Sr2FhirProperties properties) {
        return new DicomWebThreads(camelContext, properties.delivery().concurrency());
    }
}
