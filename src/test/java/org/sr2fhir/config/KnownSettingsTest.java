package org.sr2fhir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Decision D73: an unknown sr2fhir.* setting stops start-up, named with where it was set. */
class KnownSettingsTest {
    private final KnownSettings knownSettings = new KnownSettings();

    @Test
    void everyDocumentedSettingIsKnownInEveryWayOfWritingIt() {
        StandardEnvironment environment = environment(Map.of(
                "sr2fhir.fhir.url", "http://x/fhir",
                "sr2fhir.fhir.oauth2.token-url", "",
                "sr2fhir.mapping.coding-schemes.[99MYCODES]", "http://example.org/codes",
                "sr2fhir.dicomweb.sop-classes[0]", "1.2.840.10008.5.1.4.1.1.88.22",
                "sr2fhir.journal.retention", "30d"));
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("SR2FHIR_FHIR_OAUTH2_CLIENTID", "x", "SR2FHIR_DELIVERY_DELIVEREDSTORE", "y")));

        knownSettings.check(environment);
    }

    @Test
    void aTypoStopsStartUpNamingTheSettingItsSourceAndItsNeighbours() {
        StandardEnvironment environment = environment(Map.of("sr2fhir.fhir.ur", "http://x/fhir"));

        assertThatThrownBy(() -> knownSettings.check(environment))
                .isInstanceOfSatisfying(UnknownSettingsException.class,
                        e -> assertThat(e.settings()).containsExactly("sr2fhir.fhir.ur"))
                .hasMessageContaining("sr2fhir.fhir.ur (in commandLineArgs); known under sr2fhir.fhir: ")
                .hasMessageContaining("bearer-token, connect-timeout");
    }

    @Test
    void anUnknownEnvironmentVariableIsCaughtToo() {
        StandardEnvironment environment = environment(Map.of());
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("SR2FHIR_FHIR_URLL", "http://x/fhir")));

        assertThatThrownBy(() -> knownSettings.check(environment)).hasMessageContaining("sr2fhir.fhir.urll");
    }

    @Test
    void jvmSystemPropertiesAreNotChecked() {
        StandardEnvironment environment = environment(Map.of());
        environment.getPropertySources().addFirst(new MapPropertySource(
                StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of("sr2fhir.shared.dir", "../shared")));

        knownSettings.check(environment);
    }

    private static StandardEnvironment environment(Map<String, Object> arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", arguments));
        return environment;
    }
}
