package org.sr2fhir.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.SecurityFilterChain;

/** Who may use the management port, and the start-up refusal of an exposed port without authentication. */
class OpsSecurityConfigurationTest {
    private final WebApplicationContextRunner app = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                    UserDetailsServiceAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class))
            .withUserConfiguration(ManagementSettings.class, OpsSecurityConfiguration.class);

    /** management.server.* as the actuator binds them. */
    @EnableConfigurationProperties(ManagementServerProperties.class)
    static class ManagementSettings {
    }

    @Test
    void openOnLoopbackWithoutCredentialsOtherwiseAuthenticated() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress exposed = InetAddress.getByName("0.0.0.0");
        assertThat(OpsSecurityConfiguration.access(loopback, false, false)).isEqualTo(OpsSecurityConfiguration.Access.OPEN);
        assertThat(OpsSecurityConfiguration.access(loopback, true, false)).isEqualTo(OpsSecurityConfiguration.Access.BASIC);
        assertThat(OpsSecurityConfiguration.access(exposed, true, false)).isEqualTo(OpsSecurityConfiguration.Access.BASIC);
        assertThat(OpsSecurityConfiguration.access(exposed, false, true)).isEqualTo(OpsSecurityConfiguration.Access.BEARER);
        assertThatThrownBy(() -> OpsSecurityConfiguration.access(null, false, false))
                .hasMessageContaining("management.server.address=(all interfaces)");
    }

    @Test
    void startUpRefusesAnExposedPortWithoutAuthentication() {
        app.withPropertyValues("management.server.address=0.0.0.0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageStartingWith("management.server.address=0.0.0.0 exposes the management port")
                    .hasMessageContaining("spring.security.user.password")
                    .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri");
        });
    }

    @Test
    void startsExposedWithBasicOrAnIssuerAndOpenOnLoopback() {
        app.withPropertyValues("management.server.address=0.0.0.0", "spring.security.user.name=ops",
                "spring.security.user.password=secret").run(context -> assertThat(context).hasSingleBean(SecurityFilterChain.class));
        app.withPropertyValues("management.server.address=0.0.0.0",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=https://idp.example.org/realms/ops")
                .run(context -> assertThat(context).hasSingleBean(SecurityFilterChain.class));
        app.withPropertyValues("management.server.address=127.0.0.1")
                .run(context -> assertThat(context).hasSingleBean(SecurityFilterChain.class));
    }
}
