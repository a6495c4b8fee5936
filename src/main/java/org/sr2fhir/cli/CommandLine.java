package org.sr2fhir.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * What {@code java -jar sr2fhir.jar ...} does with its arguments (decision D72): {@code --help}/{@code -h} and
 * {@code --version} print and exit 0, {@code convert ...} runs the one-shot conversion, an unknown command exits 2;
 * anything else (no arguments, {@code --setting=value} arguments) starts the service.
 */
public final class CommandLine {
    static final List<String> HELP = List.of("--help", "-h");
    static final String VERSION = "--version";
    static final String VERBOSE = "--verbose";

    private CommandLine() {
    }

    /**
     * Runs a command that is not the service and returns its exit code; empty when the arguments ask for the service.
     * {@code terminal}: stderr is a terminal (the convert command then draws a progress bar).
     */
    public static OptionalInt run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        if (args.length == 0) {
            return OptionalInt.empty();
        }
        String first = args[0];
        if (HELP.contains(first)) {
            out.print(usage());
            return OptionalInt.of(ConvertCommand.EXIT_OK);
        }
        if (VERSION.equals(first)) {
            out.println("sr2fhir " + version());
            return OptionalInt.of(ConvertCommand.EXIT_OK);
        }
        if (ConvertCommand.NAME.equals(first)) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            CliLogging.toStandardError(Arrays.asList(rest).contains(VERBOSE));
            return OptionalInt.of(new ConvertCommand(out, err, terminal).run(rest));
        }
        if (HealthCommand.NAME.equals(first)) {
            return OptionalInt.of(new HealthCommand(out, err, System.getenv()).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (ResendDeadLettersCommand.NAME.equals(first)) {
            CliLogging.toStandardError(false);
            return OptionalInt.of(new ResendDeadLettersCommand(out, err).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (!first.startsWith("-")) {
            err.println("unknown command '" + first + "'");
            err.print(usage());
            return OptionalInt.of(ConvertCommand.EXIT_USAGE);
        }
        return OptionalInt.empty();
    }

    /** The version from the build's build-info (spring-boot-maven-plugin), as /actuator/info shows it. */
    static String version() {
        try (InputStream in = CommandLine.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in == null) {
                return "(unknown version: built without build-info)";
            }
            Properties buildInfo = new Properties();
            buildInfo.load(in);
            return buildInfo.getProperty("build.version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version: " + e.getMessage() + ")";
        }
    }

    static String usage() {
        Path workingDirectory = Path.of("").toAbsolutePath();
        return """
                sr2fhir %s: DICOM SR TID 1500 measurement reports to FHIR R5 or R4 (hl7.fhir.uv.dicom-sr)

                usage:
                  java -jar sr2fhir.jar [--<setting>=<value>...]
                      run the service: watch the inbox folder (and a DICOMweb archive when enabled), convert each
                      report and send it to the FHIR server as a transaction; health, metrics and the web console on
                      the management port (http://127.0.0.1:8081/)
                  java -jar sr2fhir.jar convert <file-or-dir>... --out <dir> [--verbose] [--<setting>=<value>...]
                      convert files to transaction Bundles without a server (convert --help says more)
                  java -jar sr2fhir.jar health [<url>]
                      exit 0 when <url> answers 2xx (default: this machine's readiness,
                      http://127.0.0.1:8081/actuator/health/readiness, with SPRING_SECURITY_USER_NAME/PASSWORD
                      when set): the Docker HEALTHCHECK
                  java -jar sr2fhir.jar resend-dead-letters [--<setting>=<value>...]
                      Kafka cluster mode: send the dead letters not resent before back to the inputs topic
                  java -jar sr2fhir.jar --help | -h      this text
                  java -jar sr2fhir.jar --version        the version

                main settings (--name=value, or environment variables: sr2fhir.fhir.url -> SR2FHIR_FHIR_URL):
                  sr2fhir.fhir.url                         FHIR server base URL (http://localhost:8080/fhir)
                  sr2fhir.fhir.version                     auto | R5 | R4: auto asks the server (auto)
                  sr2fhir.fhir.username, password          HTTP basic; or sr2fhir.fhir.bearer-token, sr2fhir.fhir.oauth2.*
                  sr2fhir.fhir.tls.trust-store, key-store  HTTPS trust and client certificate
                  sr2fhir.inbox.dir, done-dir, error-dir   folders (inbox, done, error)
                  sr2fhir.data-dir                         where the state lives: delivered-store, DICOMweb
                                                           checkpoint, journal (data)
                  sr2fhir.validation.mode                  off | warn | reject (warn)
                  sr2fhir.linking.create-missing           also create Patient/ImagingStudy from the SR (false)
                  sr2fhir.dicomweb.enabled, url            the DICOMweb source (off)
                  sr2fhir.cluster.mode, role               standalone | kafka, source | worker | both
                  sr2fhir.cluster.kafka.brokers            Kafka bootstrap servers (127.0.0.1:9092)
                  management.server.port, address          the management port (8081, 127.0.0.1)

                configuration is read from (a later one overrides an earlier one):
                  the defaults inside the jar (application.yaml, routes/)
                  %s/application.yaml and %s/config/application.yaml (the working directory)
                  environment variables, then --name=value arguments
                routes: %s/routes/*.yaml, or the routes inside the jar when that folder does not exist
                every setting is described in application.yaml; an unknown or invalid sr2fhir.* setting stops start-up
                """.formatted(version(), workingDirectory, workingDirectory, workingDirectory);
    }
}
