package org.sr2fhir.route;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The product as users run it: {@code java -jar target/sr2fhir.jar} (failsafe runs after package) from the project
 * folder (application.yaml, routes/), on the inbox, done, error folders, delivered store and journal under
 * {@code work}, with a free management port and no live route reload; console output to {@code <work>/<instance>.log}.
 */
final class ProductProcess {
    static final Path JAR = Path.of("target", "sr2fhir.jar").toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private ProductProcess() {
    }

    static Process start(Path work, String instance, String heap, String fhirUrl, String... settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, heap, "-jar", JAR.toString(),
                "--sr2fhir.fhir.url=" + fhirUrl,
                "--sr2fhir.inbox.dir=" + work.resolve("inbox"),
                "--sr2fhir.inbox.done-dir=" + work.resolve("done"),
                "--sr2fhir.inbox.error-dir=" + work.resolve("error"),
                "--sr2fhir.delivery.delivered-store=" + work.resolve("delivered-inputs.txt"),
                // each instance its own journal and a free management port (H2 files and ports are not shared)
                "--sr2fhir.journal.url=jdbc:h2:file:" + work.resolve("journal-" + instance) + ";WRITE_DELAY=0",
                "--management.server.port=0",
                "--camel.main.routes-reload-enabled=false"));
        command.addAll(List.of(settings));
        return new ProcessBuilder(command)
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log(work, instance).toFile())
                .start();
    }

    static Path log(Path work, String instance) {
        return work.resolve(instance + ".log");
    }
}
