package org.sr2fhir;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.sr2fhir.cli.ConvertCommand;

/**
 * {@code java -jar sr2fhir.jar} runs the Camel routes of {@code ./routes}; {@code java -jar sr2fhir.jar convert ...}
 * is the one-shot CLI, which starts neither Camel nor a server.
 */
@SpringBootApplication
public class Sr2FhirApplication {
    public static void main(String[] args) {
        if (args.length > 0 && ConvertCommand.NAME.equals(args[0])) {
            System.exit(new ConvertCommand(System.out, System.err).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(Sr2FhirApplication.class, args);
    }
}
