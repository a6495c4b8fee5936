package org.sr2fhir.ops;

import org.sr2fhir.fhirclient.FhirServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.cluster.DeadLetters;
import org.sr2fhir.config.ClusterProperties;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.route.BundleValidation;

/**
 * The operations side (issue 12): health indicators (named by their bean names without "HealthIndicator", grouped
 * into liveness and readiness in application.yaml), gauges, the stage timers, /actuator/info and the resend service
 * the REST API calls.
 */
@Configuration(proxyBeanMethods = false)
public class OpsConfiguration {

    @Bean(destroyMethod = "close")
    public FhirServerProbe fhirServerProbe(FhirServer fhirServer) {
        return new FhirServerProbe(fhirServer, Clock.systemUTC());
    }

    @Bean
    public FhirServerHealthIndicator fhirServerHealthIndicator(FhirServerProbe probe, Sr2FhirProperties properties) {
        return new FhirServerHealthIndicator(probe, properties);
    }

    @Bean
    public FhirServerStartLog fhirServerStartLog(FhirServerProbe probe, Sr2FhirProperties properties) {
        return new FhirServerStartLog(probe, OpsInfoContributor.withoutCredentials(properties.fhir().url()));
    }

    @Bean
    public FolderHealthIndicator foldersHealthIndicator(Sr2FhirProperties properties) {
        return new FolderHealthIndicator(properties);
    }

    @Bean
    public DicomWebHealthIndicator dicomWebHealthIndicator(DicomWebProperties settings, DicomWebSource source) {
        return new DicomWebHealthIndicator(settings, source);
    }

    @Bean
    public IgValidatorHealthIndicator igValidatorHealthIndicator(BundleValidation validation) {
        return new IgValidatorHealthIndicator(validation);
    }

    @Bean
    public OpsMetrics opsMetrics(Sr2FhirProperties properties, DicomWebProperties dicomWeb, DicomWebSource source) {
        return new OpsMetrics(properties, dicomWeb, source);
    }

    @Bean
    public StageTimers stageTimers(MeterRegistry registry) {
        return new StageTimers(registry);
    }

    @Bean
    public OpsInfoContributor opsInfoContributor(FhirServerProbe probe, Sr2FhirProperties properties) {
        return new OpsInfoContributor(probe, properties);
    }

    @Bean
    public ReportResend reportResend(ReportJournal journal, Sr2FhirProperties properties, DicomWebSource dicomWeb,
                                     ClusterProperties cluster) {
        return new ReportResend(journal, properties, dicomWeb, cluster.kafkaMode() ? new DeadLetters(cluster) : null);
    }
}
