package org.sr2fhir.journal;

import java.util.Arrays;

/** Where an input came from; {@link #code()} is the word in the database and the API. */
public enum ReportSource {
    /** a file of the inbox folder, named by its file name */
    INBOX("inbox"),
    /** an SR instance of the DICOMweb archive, named by its SOP Instance UID */
    DICOMWEB("dicomweb"),
    /** a record of the Kafka inputs topic, taken by a worker (issue 15), named by the input's name header */
    KAFKA("kafka");

    private final String code;

    ReportSource(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ReportSource of(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown report source '" + code + "'"));
    }
}
