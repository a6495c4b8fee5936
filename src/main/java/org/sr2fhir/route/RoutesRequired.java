package org.sr2fhir.route;

import org.apache.camel.CamelContext;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to run without any route (decision D75): a service that watches nothing must not look healthy. The
 * exception stops start-up with a non-zero exit code.
 */
@Component
public class RoutesRequired implements ApplicationListener<ApplicationStartedEvent> {
    private final CamelContext camel;
    private final Environment environment;

    public RoutesRequired(CamelContext camel, Environment environment) {
        this.camel = camel;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        // a test's Camel context starts later, after its test instance is prepared (camel-test-spring-junit5)
        if (camel.isStarted() && camel.getRoutes().isEmpty()) {
            throw new IllegalStateException("no routes loaded from " + environment.getProperty(
                    "camel.main.routes-include-pattern") + ": sr2fhir has nothing to do. Put the route files (e.g. "
                    + "sr-to-fhir.yaml) in routes/ of the working directory, or remove that folder to use the routes "
                    + "inside the jar.");
        }
    }
}
