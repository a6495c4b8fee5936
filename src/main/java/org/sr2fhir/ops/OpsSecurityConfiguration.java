package org.sr2fhir.ops;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.InetAddress;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;

/**
 * Who may use the management port (Spring Boot applies this filter chain to its management context too). Bound to a
 * loopback address and with no credentials configured it is open, as anyone who can reach it is on this machine.
 * Otherwise HTTP basic with {@code spring.security.user.name}/{@code password}, or bearer tokens of the OAuth2 issuer
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}, are required; a port bound to another address with
 * neither configured stops start-up (decision D65).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class OpsSecurityConfiguration {

    /** How the management port is protected. */
    enum Access { OPEN, BASIC, BEARER }

    @Bean
    public SecurityFilterChain managementSecurity(HttpSecurity http, ManagementServerProperties management,
                                                  SecurityProperties security, OAuth2ResourceServerProperties oauth2)
            throws Exception {
        Access access = access(management.getAddress(), !security.getUser().isPasswordGenerated(),
                oauth2.getJwt().getIssuerUri() != null);
        switch (access) {
            case OPEN -> http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable());
            // the error page shows the refusal as it is (403 for a missing CSRF token), not as a second 401
            case BEARER -> http.authorizeHttpRequests(requests -> requests
                            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll().anyRequest().authenticated())
                    .oauth2ResourceServer(resource -> resource.jwt(Customizer.withDefaults()))
                    .csrf(csrf -> csrf.disable());
            case BASIC -> http.authorizeHttpRequests(requests -> requests
                            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll().anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults())
                    // the console sends the XSRF-TOKEN cookie back as the X-XSRF-TOKEN header with each POST
                    .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                            .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                    .addFilterAfter(loadCsrfToken(), BasicAuthenticationFilter.class);
        }
        return http.build();
    }

    static Access access(InetAddress address, boolean basicConfigured, boolean issuerConfigured) {
        if (issuerConfigured) {
            return Access.BEARER;
        }
        if (basicConfigured) {
            return Access.BASIC;
        }
        if (address != null && address.isLoopbackAddress()) {
            return Access.OPEN;
        }
        throw new IllegalStateException("management.server.address=" + (address == null ? "(all interfaces)"
                : address.getHostAddress()) + " exposes the management port (health, metrics, REST API, console) "
                + "beyond this machine without authentication: set spring.security.user.name and "
                + "spring.security.user.password (HTTP basic) or spring.security.oauth2.resourceserver.jwt.issuer-uri "
                + "(OAuth2 bearer tokens), or bind it to 127.0.0.1");
    }

    /** Makes the deferred CSRF token write its cookie on every answer, so the console has it before its first POST. */
    private static Filter loadCsrfToken() {
        return (request, response, chain) -> {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        };
    }
}
