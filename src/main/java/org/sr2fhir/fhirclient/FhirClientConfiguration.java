package org.sr2fhir.fhirclient;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.apache.GZipContentInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.fhir.FhirComponent;
import org.apache.camel.component.fhir.FhirConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * The one FHIR client of the application, handed to the camel-fhir component. camel-fhir ignores component-level
 * auth, gzip and timeout options (stack.md §3), so they are set on a HAPI client built here and every
 * {@code fhir:} endpoint of every route uses it, with the configured TLS trust and one of basic, static bearer or
 * OAuth2 client credentials authentication.
 */
@Configuration(proxyBeanMethods = false)
public class FhirClientConfiguration {

    /** One FhirContext per JVM: building it costs seconds. */
    @Bean
    public FhirContext fhirContext() {
        return FhirContext.forR5Cached();
    }

    /** Primary: the R5 client, injected wherever a client is asked for without a name. */
    @Bean
    @Primary
    public IGenericClient fhirClient(FhirContext fhirContext, Sr2FhirProperties properties) {
        return client(fhirContext, properties);
    }

    /**
     * The same client for FHIR R4 (decision D35): same URL, TLS, authentication, gzip and timeouts; the route posts
     * R4 Bundles with it ({@code client=#fhirClientR4}) when the server speaks R4.
     */
    @Bean
    public IGenericClient fhirClientR4(Sr2FhirProperties properties) {
        return client(FhirContext.forR4Cached(), properties);
    }

    /** The server and the FHIR version it speaks (decision D35), read through the application's client. */
    @Bean
    public FhirServer fhirServer(IGenericClient fhirClient, Sr2FhirProperties properties) {
        return new FhirServer(fhirClient, properties.fhir());
    }

    /**
     * Before Camel starts its routes: a server speaking neither R4 nor R5 stops start-up (decision D35), before the
     * inbox could take a file it cannot deliver.
     */
    @Bean
    public CamelContextConfiguration fhirServerVersionCheck(FhirServer fhirServer) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                fhirServer.checkAtStart();
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // nothing: the check is done before the routes start
            }
        };
    }

    /** Registered with Camel as an event notifier (camel-spring-boot picks up EventNotifier beans). */
    @Bean
    public FhirServerOutages fhirServerOutages(FhirServer fhirServer) {
        return new FhirServerOutages(fhirServer);
    }

    /** Builds a client for {@code fhirContext}'s FHIR version with the configured connection settings. */
    public static IGenericClient client(FhirContext fhirContext, Sr2FhirProperties properties) {
        Sr2FhirProperties.Fhir fhir = properties.fhir();
        // timeouts live on the context's client factory, shared by every client of this context (stack.md §3)
        IRestfulClientFactory factory = fhirContext.getRestfulClientFactory();
        factory.setConnectTimeout(Math.toIntExact(fhir.connectTimeout().toMillis()));
        factory.setSocketTimeout(Math.toIntExact(fhir.socketTimeout().toMillis()));
        // no /metadata round trip before the first transaction; the transaction itself reports a wrong URL
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        SSLContext sslContext = ClientTls.sslContext(fhir.tls());
        // after the timeout setters: each of them would throw this HTTP client away again
        factory.setHttpClient(ClientTls.httpClient(sslContext, factory));
        IGenericClient client = fhirContext.newRestfulGenericClient(fhir.url().toString());
        if (hasText(fhir.username())) {
            client.registerInterceptor(new BasicAuthInterceptor(fhir.username(), fhir.password()));
        }
        if (hasText(fhir.bearerToken())) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(fhir.bearerToken()));
        }
        if (fhir.oauth2().enabled()) {
            client.registerInterceptor(new OAuth2ClientCredentialsInterceptor(fhir.oauth2(), sslContext,
                    fhir.connectTimeout(), fhir.socketTimeout()));
        }
        if (fhir.gzip()) {
            client.registerInterceptor(new GZipContentInterceptor());
        }
        return client;
    }

    /** Named "fhir" so that {@code fhir://...} URIs in the YAML routes resolve to it. */
    @Bean("fhir")
    public FhirComponent fhirComponent(FhirContext fhirContext, IGenericClient fhirClient, Sr2FhirProperties properties) {
        FhirConfiguration configuration = new FhirConfiguration();
        configuration.setFhirVersion("R5");
        configuration.setFhirContext(fhirContext);
        configuration.setServerUrl(properties.fhir().url().toString());
        configuration.setClient(fhirClient);
        FhirComponent component = new FhirComponent();
        component.setConfiguration(configuration);
        return component;
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
