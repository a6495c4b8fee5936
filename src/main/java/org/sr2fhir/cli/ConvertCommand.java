package org.sr2fhir.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.PropertiesConfiguration;
import org.sr2fhir.config.SettingsFailure;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.conversion.ConversionReport;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.fhirclient.FhirClientConfiguration;
import org.sr2fhir.fhirclient.ServerStudySubjects;
import org.sr2fhir.privacy.Redaction;
import org.sr2fhir.r4.R4Renderer;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportReader;

/**
 * {@code convert <file-or-dir>... --out <dir>}: converts inputs to transaction Bundles without Camel, routes or a
 * FHIR server, with the same {@link ReportReader} and {@link ReportMapper} as the route and the same settings
 * (application.yaml, environment, {@code --sr2fhir.*=} arguments). Writes {@code <name>.json} per converted input
 * and {@code <name>.error.txt} per rejected or failed one, with the conversion report {@code <name>.report.json}
 * beside either (decision D34), prints one line per input and a summary line.
 * It does not validate against the IG: that costs ~13 s of start-up (stack.md §5); the route does it.
 */
public final class ConvertCommand {
    public static final String NAME = "convert";
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    static final String USAGE = "usage: java -jar sr2fhir.jar convert <file-or-dir>... --out <dir> [--verbose] [--sr2fhir.<setting>=<value>...]";
    static final String HELP = USAGE + """


            Converts DICOM SR files (Part 10 or DICOM JSON) to FHIR R5 transaction Bundles (R4 with
            --sr2fhir.fhir.version=R4), with the route's reading and mapping code and settings, without Camel, routes,
            IG validation or a FHIR server. Folders are walked recursively for *.dcm, *.json and files without an
            extension.

              --out <dir>    writes <name>.json (the Bundle) or <name>.error.txt (why it was rejected), and
                             <name>.report.json (the conversion report) beside either
              --verbose      log at INFO (on stderr); by default only warnings and errors are logged
              --sr2fhir.<setting>=<value>   any setting of application.yaml; with --sr2fhir.fhir.url a report
                             without Patient ID takes the Patient of its study from that server (decision D26)

            stdout: one line per input (converted ..., rejected ...: reason, failed ...: error) and a summary line
            converted=N rejected=M failed=K ms=T; logs and progress go to stderr.
            exit code: 0 every input converted or cleanly rejected, 1 something failed unexpectedly, 2 bad arguments
            or settings
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    public ConvertCommand(PrintStream out, PrintStream err) {
        this(out, err, false);
    }

    /** {@code terminal}: stderr is a terminal, so progress is a bar redrawn in place (D72). */
    public ConvertCommand(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs the command; returns the process exit code. */
    public int run(String[] args) {
        long start = System.nanoTime();
        if (Arrays.stream(args).anyMatch(CommandLine.HELP::contains)) {
            out.print(HELP);
            return EXIT_OK;
        }
        Arguments arguments;
        List<Path> inputs;
        try {
            arguments = Arguments.parse(args);
            inputs = collectInputs(arguments.inputs());
        } catch (IllegalArgumentException | IOException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        Sr2FhirProperties properties;
        try {
            properties = loadSettings(arguments.settings());
        } catch (RuntimeException e) {
            err.println(SettingsFailure.describe(e));
            return EXIT_USAGE;
        }
        try {
            Files.createDirectories(arguments.outDir());
        } catch (IOException e) {
            err.println("cannot create output folder " + arguments.outDir() + ": " + e.getMessage());
            return EXIT_USAGE;
        }

        ReportReader reader = new ReportReader(properties.limits().readLimits());
        ReportMapper mapper = mapper(properties, arguments.settings());
        // decision D35: --sr2fhir.fhir.version=R4 writes R4 Bundles; auto and R5 write R5 (there is no server to ask)
        boolean r4 = properties.fhir().version() == Sr2FhirProperties.FhirVersionSetting.R4;
        R4Renderer r4Renderer = new R4Renderer();
        IParser parser = (r4 ? FhirContext.forR4Cached() : FhirContext.forR5Cached()).newJsonParser().setPrettyPrint(true);
        Set<String> usedNames = new HashSet<>();
        int converted = 0;
        int rejected = 0;
        int failed = 0;
        Progress progress = new Progress(err, terminal, System::nanoTime, inputs.size());
        for (Path input : inputs) {
            String name = input.getFileName().toString();
            String base = uniqueBase(stripExtension(name), usedNames);
            MeasurementReport report = null;
            try {
                reader.refuseIfTooLarge(Files.size(input), name);
                report = reader.read(Files.readAllBytes(input), name);
                Bundle bundle = mapper.convert(report);
                Path target = arguments.outDir().resolve(base + ".json");
                Files.writeString(target, parser.encodeResourceToString(r4 ? r4Renderer.render(bundle) : bundle),
                        StandardCharsets.UTF_8);
                writeReport(arguments.outDir(), base, ConversionReport.converted(report, List.of(bundle)));
                out.println(Redaction.redact("converted " + input + " -> " + target + " (" + bundle.getEntry().size()
                        + " entries)"));
                converted++;
            } catch (InputRejectedException e) {
                writeError(arguments.outDir(), base, e.getMessage());
                writeReport(arguments.outDir(), base, ConversionReport.rejected(report, e));
                out.println(Redaction.redact("rejected " + input + ": " + e.reason()));
                rejected++;
            } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
                // an unexpected failure is a bug or an I/O problem, not a bad input: keep the stack trace; one input
                // that exhausts the heap or the stack fails alone (decision D50), the others are still converted
                String reason = "unexpected error: " + e;
                writeError(arguments.outDir(), base, name + ": " + reason);
                out.println(Redaction.redact("failed " + input + ": " + reason));
                err.println(Redaction.redact(stackTrace(e)));
                failed++;
            }
            progress.advance(converted + rejected + failed, name);
        }
        progress.finish();
        out.println("converted=" + converted + " rejected=" + rejected + " failed=" + failed
                + " ms=" + (System.nanoTime() - start) / 1_000_000);
        return failed > 0 ? EXIT_FAILED : EXIT_OK;
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    /** The same settings the application would use, bound and validated by Spring Boot without Camel or a server. */
    private static Sr2FhirProperties loadSettings(List<String> settingArguments) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PropertiesConfiguration.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties("logging.level.root=WARN")
                .run(settingArguments.toArray(String[]::new))) {
            return context.getBean(Sr2FhirProperties.class);
        }
    }

    /**
     * Decision D26 in the CLI, which has no FHIR server of its own: a report with an empty Patient ID is refused,
     * unless {@code --sr2fhir.fhir.url} is given; then that server is asked for the Patient of the report's study,
     * through the application's client (its authentication, TLS and timeouts), as the route does.
     */
    static ReportMapper mapper(Sr2FhirProperties properties, List<String> settingArguments) {
        if (settingArguments.stream().noneMatch(argument -> argument.startsWith("--sr2fhir.fhir.url="))) {
            return new ReportMapper(properties.mappingSettings());
        }
        IGenericClient client = FhirClientConfiguration.client(FhirContext.forR5Cached(), properties);
        return new ReportMapper(properties.mappingSettings(), new ServerStudySubjects(client));
    }

    /** Files named on the command line are taken as they are; folders are walked for route-eligible names. */
    static List<Path> collectInputs(List<Path> arguments) throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isRegularFile(argument)) {
                inputs.add(argument);
            } else if (Files.isDirectory(argument)) {
                try (Stream<Path> walk = Files.walk(argument)) {
                    walk.filter(Files::isRegularFile).filter(p -> isInputName(p.getFileName().toString()))
                            .sorted().forEach(inputs::add);
                }
            } else {
                throw new IllegalArgumentException("no such file or folder: " + argument);
            }
        }
        return inputs;
    }

    /** The inbox route's include rule: *.dcm, *.json and names without an extension (DICOM files often have none). */
    static boolean isInputName(String name) {
        if (name.startsWith(".")) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".dcm") || lower.endsWith(".json") || !lower.contains(".");
    }

    static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Two inputs with one name (a.dcm and a.json, or two folders) must not overwrite each other's output, nor an input
     * named x.report.dcm the conversion report of x.dcm.
     */
    private static String uniqueBase(String base, Set<String> used) {
        String candidate = base;
        for (int n = 2; used.contains(candidate) || used.contains(candidate + ".report"); n++) {
            candidate = base + "__" + n;
        }
        used.add(candidate);
        used.add(candidate + ".report");
        return candidate;
    }

    /** Decision D34: the conversion report, {@code <name>.report.json}, beside the Bundle or the .error.txt. */
    private void writeReport(Path outDir, String base, ConversionReport report) {
        Path target = outDir.resolve(base + ".report.json");
        try {
            Files.writeString(target, Redaction.redact(report.toJson()) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("cannot write " + target + ": " + e.getMessage());
        }
    }

    private void writeError(Path outDir, String base, String message) {
        try {
            Files.writeString(outDir.resolve(base + ".error.txt"), Redaction.redact(message) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("cannot write " + outDir.resolve(base + ".error.txt") + ": " + e.getMessage());
        }
    }

    /** Parsed command line: inputs, {@code --out}, and {@code --sr2fhir.*} / {@code --spring.*} settings. */
    record Arguments(List<Path> inputs, Path outDir, List<String> settings) {
        static Arguments parse(String[] args) {
            List<Path> inputs = new ArrayList<>();
            List<String> settings = new ArrayList<>();
            Path outDir = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--out")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a folder");
                    }
                    outDir = Path.of(args[++i]);
                } else if (arg.startsWith("--out=")) {
                    outDir = Path.of(arg.substring("--out=".length()));
                } else if (arg.equals(CommandLine.VERBOSE)) {
                    // read by CommandLine before the command runs: it sets up logging
                    continue;
                } else if (arg.startsWith("--sr2fhir.") || arg.startsWith("--spring.") || arg.startsWith("--logging.")) {
                    settings.add(arg);
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option " + arg);
                } else {
                    inputs.add(Path.of(arg));
                }
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no input file or folder given");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("--out <dir> is required");
            }
            return new Arguments(List.copyOf(inputs), outDir, List.copyOf(settings));
        }
    }
}
