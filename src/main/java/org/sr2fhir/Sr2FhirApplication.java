package org.sr2fhir;

import java.util.OptionalInt;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.sr2fhir.cli.CommandLine;

/**
 * {@code java -jar sr2fhir.jar} runs the Camel routes of {@code ./routes}; {@code java -jar sr2fhir.jar convert ...}
 * is the one-shot CLI, which starts neither Camel nor a server; {@code --help} and {@code --version} print and exit.
 */
@SpringBootApplication
public class Sr2FhirApplication {
    public static void main(String[] args) {
        OptionalInt command = CommandLine.run(args, System.out, System.err, System.console() != null);
        if (command.isPresent()) {
            System.exit(command.getAsInt());
        }
        try {
            SpringApplication.run(Sr2FhirApplication.class, args);
        } catch (RuntimeException e) {
            // Spring Boot has reported the failure; Camel's run controller (a non-daemon thread) would keep the JVM
            // up without a service (decision D75)
            System.exit(1);
        }
    }
}
