package org.sr2fhir.config;

import java.util.List;

/** {@code sr2fhir.*} settings that no part of sr2fhir reads, typically typos (decision D73). */
public class UnknownSettingsException extends RuntimeException {
    private final List<String> settings;

    UnknownSettingsException(List<String> lines, List<String> settings) {
        super("unknown setting(s), not read by sr2fhir:\n  " + String.join("\n  ", lines));
        this.settings = List.copyOf(settings);
    }

    public List<String> settings() {
        return settings;
    }
}
