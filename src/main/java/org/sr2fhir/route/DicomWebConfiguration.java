package org.sr2fhir.route;

import java.time.Clock;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.dicomweb.DicomWebSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beans of the DICOMweb source. They always exist, so {@code routes/dicomweb-to-fhir.yaml} resolves even when the
 * route is disabled; a disabled source opens no file and no connection.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DicomWebProperties.class)
public class DicomWebConfiguration {

    @Bean(destroyMethod = "close")
    public DicomWebSource dicomWebSource(DicomWebProperties settings) {
        return new DicomWebSource(settings, Clock.systemUTC());
    }

    @Bean("dicomWeb")
    public DicomWebSteps dicomWebSteps(DicomWebSource source, FailureReport failureReport) {
        return new DicomWebSteps(source, failureReport);
    }
}
