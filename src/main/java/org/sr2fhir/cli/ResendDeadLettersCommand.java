package org.sr2fhir.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.sr2fhir.cluster.DeadLetters;
import org.sr2fhir.cluster.KafkaRecords;
import org.sr2fhir.config.ClusterProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * {@code resend-dead-letters [--<setting>=<value>...]}: sends every dead letter of the Kafka cluster not resent before
 * back to the inputs topic (decision D83), with the service's settings (application.yaml, environment, arguments:
 * sr2fhir.cluster.kafka.*), and lists them. Exit 0 when done (also when there was nothing to resend), 1 when the
 * broker could not be read or did not take a record.
 */
final class ResendDeadLettersCommand {
    static final String NAME = "resend-dead-letters";

    private final PrintStream out;
    private final PrintStream err;

    ResendDeadLettersCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        List<String> settings = Arrays.asList(args);
        if (settings.stream().anyMatch(argument -> !argument.startsWith("--"))) {
            err.println("usage: java -jar sr2fhir.jar " + NAME + " [--<setting>=<value>...]");
            return ConvertCommand.EXIT_USAGE;
        }
        ClusterProperties cluster;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterSettings.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .properties("logging.level.root=WARN")
                .run(args)) {
            cluster = context.getBean(ClusterProperties.class);
        }
        try {
            int resent = new DeadLetters(cluster).resendAll(record -> out.println("resent " + name(record)
                    + " (" + record.topic() + "-" + record.partition() + "@" + record.offset() + ")"));
            out.println(resent + " dead letter(s) of " + cluster.kafka().deadLetterTopic() + " sent again to "
                    + cluster.kafka().inputsTopic());
            return ConvertCommand.EXIT_OK;
        } catch (RuntimeException e) {
            err.println("resend failed: " + e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            return ConvertCommand.EXIT_FAILED;
        }
    }

    private static String name(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(KafkaRecords.NAME);
        return header == null ? "(unnamed)" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The cluster settings alone, bound and validated as the service binds them. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ClusterProperties.class)
    static class ClusterSettings {
    }
}
