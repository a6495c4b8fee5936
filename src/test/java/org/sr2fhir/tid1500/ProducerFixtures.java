package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The issue-10 fixtures of src/test/resources/producers (made by make_fixtures.py with DCMTK's xml2dsr): reports as
 * real producers write them, one per class of data the mapping used to lose.
 */
public final class ProducerFixtures {
    /** Every fixture, by name (without .dcm). */
    public static final List<String> NAMES = List.of("groups-under-root", "nothing-to-map", "several-finding-sites",
            "evaluation-coordinates", "template-tid1500", "empty-patient-id", "empty-patient-id-later-study",
            "legacy-codes", "source-images", "observer-context");

    private ProducerFixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = ProducerFixtures.class.getResourceAsStream("/producers/" + name + ".dcm")) {
            if (in == null) {
                throw new IllegalStateException("test resource /producers/" + name + ".dcm is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MeasurementReport read(String name) throws InputRejectedException {
        return new ReportReader().read(bytes(name), name + ".dcm");
    }
}
