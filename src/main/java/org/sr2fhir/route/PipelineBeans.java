package org.sr2fhir.route;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.fhirclient.ServerStudySubjects;
import org.sr2fhir.tid1500.ReportReader;

/** The conversion stages as named beans, so the YAML route calls them by name (reportReader, reportMapper). */
@Configuration(proxyBeanMethods = false)
public class PipelineBeans {

    /** Reading within sr2fhir.limits.* (decision D51). */
    @Bean
    public ReportReader reportReader(Sr2FhirProperties properties) {
        return new ReportReader(properties.limits().readLimits());
    }

    /** With the FHIR client for decision D26's look-up of a study's Patient (one search per study, cached). */
    @Bean
    public ReportMapper reportMapper(Sr2FhirProperties properties, IGenericClient fhirClient) {
        return new ReportMapper(properties.mappingSettings(), new ServerStudySubjects(fhirClient));
    }
}
