package org.sr2fhir.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Stops start-up (of the service and of the CLI's settings) when a {@code sr2fhir.*} setting is not one that sr2fhir
 * reads, e.g. the typo {@code sr2fhir.fhir.ur} (decision D73). The known settings are those of the configuration
 * metadata that spring-boot-configuration-processor generates from the {@code @ConfigurationProperties} classes at
 * build time ({@code META-INF/spring-configuration-metadata.json}); a setting read elsewhere must be declared in
 * {@code META-INF/additional-spring-configuration-metadata.json}. Map and list settings accept any key or index
 * below them. JVM system properties are not checked: the JVM also carries other programs' (the tests') properties.
 */
public class KnownSettings implements EnvironmentPostProcessor, Ordered {
    static final String PREFIX = "sr2fhir";
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private final List<ConfigurationPropertyName> known;

    public KnownSettings() {
        this(fromMetadata());
    }

    KnownSettings(List<ConfigurationPropertyName> known) {
        this.known = known;
    }

    @Override
    public int getOrder() {
        // after application.yaml and every other source has been added
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment);
    }

    /** Throws {@link UnknownSettingsException} naming every unknown {@code sr2fhir.*} setting and where it is set. */
    void check(ConfigurableEnvironment environment) {
        List<String> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            Object underlying = source.getUnderlyingSource();
            if (!(source instanceof IterableConfigurationPropertySource iterable) || isSystemProperties(underlying)) {
                continue;
            }
            iterable.stream().filter(ROOT::isAncestorOf).filter(name -> !isKnown(name)).forEach(name -> {
                names.add(name.toString());
                lines.add(name + " (in " + sourceName(underlying) + ")" + suggestion(name));
            });
        }
        if (!lines.isEmpty()) {
            throw new UnknownSettingsException(lines, names);
        }
    }

    boolean isKnown(ConfigurationPropertyName name) {
        return known.stream().anyMatch(setting -> setting.equals(name) || setting.isAncestorOf(name));
    }

    /** The known settings beside the unknown one, the likely intended one among them. */
    private String suggestion(ConfigurationPropertyName name) {
        ConfigurationPropertyName parent = name.getParent();
        String siblings = known.stream().filter(setting -> parent.equals(setting.getParent()))
                .map(setting -> setting.getLastElement(ConfigurationPropertyName.Form.DASHED))
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
        return siblings.isEmpty() ? "" : "; known under " + parent + ": " + siblings;
    }

    private static boolean isSystemProperties(Object source) {
        return source instanceof org.springframework.core.env.PropertySource<?> propertySource
                && StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(propertySource.getName());
    }

    private static String sourceName(Object source) {
        return source instanceof org.springframework.core.env.PropertySource<?> propertySource
                ? propertySource.getName() : String.valueOf(source);
    }

    /** Every {@code sr2fhir.*} property of the configuration metadata on the class path. */
    static List<ConfigurationPropertyName> fromMetadata() {
        ObjectMapper json = new ObjectMapper();
        List<ConfigurationPropertyName> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(KnownSettings.class.getClassLoader().getResources(METADATA))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        ConfigurationPropertyName name = ConfigurationPropertyName.of(property.path("name").asText());
                        if (ROOT.isAncestorOf(name)) {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration metadata " + METADATA, e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no sr2fhir.* settings in " + METADATA
                    + ": build with spring-boot-configuration-processor (see pom.xml)");
        }
        return List.copyOf(names);
    }

    /** The start-up failure as the unknown settings only, without Spring Boot's stack trace. */
    public static class FailureAnalyzer extends AbstractFailureAnalyzer<UnknownSettingsException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, UnknownSettingsException cause) {
            return new FailureAnalysis(cause.getMessage(), "Correct or remove the setting(s); every sr2fhir.* setting is "
                    + "described in application.yaml (java -jar sr2fhir.jar --help lists the main ones).", cause);
        }
    }
}
