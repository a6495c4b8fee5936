package org.sr2fhir.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds and validates {@link Sr2FhirProperties}; used by the application and, alone, by the CLI. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({Sr2FhirProperties.class, DataDirProperties.class})
public class PropertiesConfiguration {
}
