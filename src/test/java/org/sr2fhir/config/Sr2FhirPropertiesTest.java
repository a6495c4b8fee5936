package org.sr2fhir.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;
import org.sr2fhir.fhir.MappingSettings;

class Sr2FhirPropertiesTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class);

    @Test
    void defaultsAreTheDocumentedOnes() {
        runner.run(context -> {
            Sr2FhirProperties properties = context.getBean(Sr2FhirProperties.class);
            assertThat(properties.fhir().url()).hasToString("http://localhost:8080/fhir");
            assertThat(properties.fhir().socketTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.inbox().doneDir()).isEqualTo("done");
            assertThat(properties.validation().mode()).isEqualTo(Sr2FhirProperties.ValidationMode.WARN);
            assertThat(properties.mappingSettings()).isEqualTo(MappingSettings.defaults());
            assertThat(properties.delivery().retryBudget()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.delivery().deliveredStore()).isEqualTo("data/delivered-inputs.txt");
            assertThat(properties.delivery().concurrency()).isEqualTo(4);
            // issue 11: the server's own version; the entry limit unset (the known server's, D42)
            assertThat(properties.fhir().version()).isEqualTo(Sr2FhirProperties.FhirVersionSetting.AUTO);
            assertThat(properties.fhir().maxEntriesPerBundle()).isNull();
        });
        runner.withPropertyValues("sr2fhir.fhir.version=R4").run(context -> assertThat(context.getBean(
                Sr2FhirProperties.class).fhir().version()).isEqualTo(Sr2FhirProperties.FhirVersionSetting.R4));
    }

    @Test
    void mappingSettingsComeFromTheirProperties() {
        runner.withPropertyValues("sr2fhir.fhir.ids=conditional-create", "sr2fhir.fhir.max-entries-per-bundle=50",
                        "sr2fhir.mapping.default-timezone=Europe/Zurich", "sr2fhir.linking.create-missing=true",
                        "sr2fhir.linking.issuer-systems[HOSPITAL A]=urn:oid:1.2.3",
                        "sr2fhir.mapping.coding-schemes[99X]=http://example.org/x")
                .run(context -> {
                    MappingSettings settings = context.getBean(Sr2FhirProperties.class).mappingSettings();
                    assertThat(settings.ids()).isEqualTo(MappingSettings.IdStrategy.CONDITIONAL_CREATE);
                    assertThat(settings.maxEntriesPerBundle()).isEqualTo(50);
                    assertThat(settings.defaultTimezone()).isEqualTo(ZoneId.of("Europe/Zurich"));
                    assertThat(settings.createMissing()).isTrue();
                    assertThat(settings.issuerSystems()).containsEntry("HOSPITAL A", "urn:oid:1.2.3");
                    assertThat(settings.codingSchemes()).containsEntry("99X", "http://example.org/x");
                });
    }

    @Test
    void badValuesFailFastNamingTheSetting() {
        assertFails("sr2fhir.fhir.url=ftp://example.org/fhir", "sr2fhir.fhir", "is not an http(s) URL");
        assertFails("sr2fhir.fhir.max-entries-per-bundle=-1", "maxEntriesPerBundle", "greater than or equal to 0");
        assertFails("sr2fhir.validation.mode=sometimes", "sr2fhir.validation.mode", "sometimes");
        assertFails("sr2fhir.fhir.version=R3", "sr2fhir.fhir.version", "R3");
        assertFails("sr2fhir.mapping.default-timezone=Mars/Olympus", "sr2fhir.mapping.default-timezone", "Mars/Olympus");
        assertFails("sr2fhir.fhir.username=u", "sr2fhir.fhir", "username and sr2fhir.fhir.password together");
        assertFails("sr2fhir.delivery.initial-backoff=2m", "sr2fhir.delivery", "initial-backoff <= max-backoff");
        assertFails("sr2fhir.delivery.delivered-store-entries=0", "deliveredStoreEntries", "greater than or equal to 1");
    }

    /** Decision D73: one line per bad setting, with the setting as it is written and its value. */
    @Test
    void aBadSettingIsDescribedByItsNameAndValue() {
        assertDescribed("sr2fhir.fhir.url=notaurl", "sr2fhir.fhir.url: 'notaurl' is not an http(s) URL");
        assertDescribed("sr2fhir.fhir.max-entries-per-bundle=-1",
                "sr2fhir.fhir.max-entries-per-bundle: '-1' must be greater than or equal to 0");
        assertDescribed("sr2fhir.validation.mode=sometimes",
                "sr2fhir.validation.mode: 'sometimes' cannot be read as one of off, warn, reject");
        assertDescribed("sr2fhir.fhir.socket-timeout=soon", "sr2fhir.fhir.socket-timeout: 'soon' cannot be read as a Duration");
        assertDescribed("sr2fhir.journal.url=postgres://db", "sr2fhir.journal.url: 'postgres://db' is not a JDBC URL");
        assertDescribed("sr2fhir.delivery.concurrency=0",
                "sr2fhir.delivery.concurrency: '0' must be between 1 and 64 (reports delivered at once)");
        assertDescribed("sr2fhir.delivery.concurrency=65",
                "sr2fhir.delivery.concurrency: '65' must be between 1 and 64 (reports delivered at once)");
        assertDescribed("sr2fhir.delivery.concurrency=many",
                "sr2fhir.delivery.concurrency: 'many' cannot be read as");
        assertDescribed("sr2fhir.fhir.username=u",
                "sr2fhir.fhir: set sr2fhir.fhir.username and sr2fhir.fhir.password together, or neither");
    }

    private void assertDescribed(String setting, String expectedLine) {
        runner.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(SettingsFailure.describe(context.getStartupFailure()).lines()).as(setting)
                    .anySatisfy(line -> assertThat(line.strip()).startsWith(expectedLine));
        });
    }

    @Test
    void onlyOneAuthenticationAtATime() {
        String[] basic = {"sr2fhir.fhir.username=u", "sr2fhir.fhir.password=p"};
        String[] bearer = {"sr2fhir.fhir.bearer-token=t"};
        String[] oauth2 = {"sr2fhir.fhir.oauth2.token-url=https://idp.example.org/token",
                "sr2fhir.fhir.oauth2.client-id=sr2fhir", "sr2fhir.fhir.oauth2.client-secret=s"};
        for (String[][] pair : new String[][][] {{basic, bearer}, {basic, oauth2}, {bearer, oauth2}}) {
            runner.withPropertyValues(pair[0]).withPropertyValues(pair[1])
                    .run(context -> assertThat(context).hasFailed().getFailure()
                            .hasStackTraceContaining("set only one authentication"));
        }
        runner.withPropertyValues(oauth2).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void oauth2SettingsAreBound() {
        runner.withPropertyValues("sr2fhir.fhir.oauth2.token-url=https://idp.example.org/token",
                        "sr2fhir.fhir.oauth2.client-id=sr2fhir", "sr2fhir.fhir.oauth2.client-secret=s",
                        "sr2fhir.fhir.oauth2.scope=system/*.write",
                        "sr2fhir.fhir.oauth2.client-authentication-method=client_secret_post")
                .run(context -> {
                    Sr2FhirProperties.OAuth2 oauth2 = context.getBean(Sr2FhirProperties.class).fhir().oauth2();
                    assertThat(oauth2.enabled()).isTrue();
                    assertThat(oauth2.tokenUrl()).hasToString("https://idp.example.org/token");
                    assertThat(oauth2.scope()).isEqualTo("system/*.write");
                    assertThat(oauth2.clientAuthenticationMethod())
                            .isEqualTo(Sr2FhirProperties.ClientAuthenticationMethod.CLIENT_SECRET_POST);
                });
        // the blank values application.yaml documents leave OAuth2 and the stores off
        runner.withPropertyValues("sr2fhir.fhir.oauth2.token-url=", "sr2fhir.fhir.oauth2.client-id=",
                        "sr2fhir.fhir.oauth2.client-secret=", "sr2fhir.fhir.tls.trust-store=")
                .run(context -> {
                    Sr2FhirProperties.Fhir fhir = context.getBean(Sr2FhirProperties.class).fhir();
                    assertThat(fhir.oauth2().enabled()).isFalse();
                    assertThat(fhir.oauth2().clientAuthenticationMethod())
                            .isEqualTo(Sr2FhirProperties.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
                    assertThat(fhir.tls().trustStoreType()).isEqualTo("PKCS12");
                    assertThat(fhir.tls().keyStoreType()).isEqualTo("PKCS12");
                });
    }

    @Test
    void incompleteOrBadOAuth2AndTlsSettingsFailFast() {
        assertFails("sr2fhir.fhir.oauth2.client-id=sr2fhir", "sr2fhir.fhir.oauth2",
                "token-url, client-id and client-secret together");
        runner.withPropertyValues("sr2fhir.fhir.oauth2.token-url=https://idp.example.org/token",
                        "sr2fhir.fhir.oauth2.client-id=sr2fhir")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("token-url, client-id and client-secret together"));
        runner.withPropertyValues("sr2fhir.fhir.oauth2.token-url=idp.example.org/token",
                        "sr2fhir.fhir.oauth2.client-id=sr2fhir", "sr2fhir.fhir.oauth2.client-secret=s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("is not an http(s) URL"));
        assertFails("sr2fhir.fhir.oauth2.client-authentication-method=private_key_jwt",
                "sr2fhir.fhir.oauth2.client-authentication-method", "private_key_jwt");
        assertFails("sr2fhir.fhir.tls.trust-store-type=", "sr2fhir.fhir.tls", "trustStoreType");
    }

    @Test
    void relativeInboxFoldersAreResolvedAgainstTheWorkingDirectory() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("sr2fhir.inbox.done-dir", "out/done")
                .withProperty("sr2fhir.inbox.error-dir", "/data/error");
        new InboxFolderResolver().postProcessEnvironment(environment, null);
        assertThat(environment.getProperty("sr2fhir.inbox.dir")).isEqualTo(Path.of("inbox").toAbsolutePath().toString());
        assertThat(environment.getProperty("sr2fhir.inbox.done-dir")).isEqualTo(Path.of("out/done").toAbsolutePath().toString());
        assertThat(environment.getProperty("sr2fhir.inbox.error-dir")).isEqualTo("/data/error");
    }

    private void assertFails(String setting, String... expected) {
        runner.withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            for (String text : expected) {
                assertThat(context.getStartupFailure()).as(setting).hasStackTraceContaining(text);
            }
        });
    }
}
