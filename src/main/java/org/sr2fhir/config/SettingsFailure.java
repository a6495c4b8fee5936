package org.sr2fhir.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * A bad setting as one line per problem, naming the setting as it is written and its value (decision D73):
 * {@code sr2fhir.fhir.url: 'notaurl' is not an http(s) URL}. Used for the service's start-up failure (this is its
 * failure analyzer, ahead of Spring Boot's, which names the bean property, e.g. {@code urlHttp}) and by the CLI.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SettingsFailure extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        return new FailureAnalysis("invalid setting(s):\n  " + String.join("\n  ", lines(cause)),
                "Fix the setting(s) in application.yaml, the environment or the command line; every sr2fhir.* setting "
                        + "is described in application.yaml.", cause);
    }

    /** The lines for any failure: a bad setting's description, an unknown setting's, or the exception's message. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return "invalid setting(s):\n  " + String.join("\n  ", lines(bind));
            }
            if (t instanceof UnknownSettingsException unknown) {
                return unknown.getMessage();
            }
        }
        return "invalid settings: " + failure.getMessage();
    }

    static List<String> lines(BindException bind) {
        if (bind.getCause() instanceof BindValidationException validation) {
            return validationLines(validation.getValidationErrors());
        }
        ConfigurationProperty property = bind.getProperty();
        String name = property != null ? property.getName().toString() : bind.getName().toString();
        String value = property != null ? "'" + property.getValue() + "' " : "";
        return List.of(name + ": " + value + "cannot be read as " + expected(bind.getTarget().getType().resolve()));
    }

    private static List<String> validationLines(ValidationErrors errors) {
        List<String> lines = new ArrayList<>();
        for (ObjectError error : errors.getAllErrors()) {
            if (error instanceof FieldError field) {
                ConfigurationPropertyName name = errors.getName().append(dashed(field.getField()));
                boolean setting = errors.getBoundProperties().stream().anyMatch(p -> p.getName().equals(name))
                        || !(field.getRejectedValue() instanceof Boolean);
                // an @AssertTrue check of several settings names them in its message, under their common prefix
                lines.add(setting ? name + ": '" + valueOf(field.getRejectedValue()) + "' " + field.getDefaultMessage()
                        : parent(name) + ": " + field.getDefaultMessage());
            } else {
                lines.add(errors.getName() + ": " + error.getDefaultMessage());
            }
        }
        return lines;
    }

    private static String expected(Class<?> type) {
        if (type != null && type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
        return type == null ? "the expected type" : "a " + type.getSimpleName();
    }

    private static String valueOf(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String parent(ConfigurationPropertyName name) {
        return name.getNumberOfElements() > 1 ? name.getParent().toString() : name.toString();
    }

    /** {@code fhir.maxEntriesPerBundle} as written in application.yaml: {@code fhir.max-entries-per-bundle}. */
    private static String dashed(String field) {
        return DataObjectPropertyName.toDashedForm(field);
    }
}
