package org.sr2fhir.route;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.tid1500.ReportReader;

/**
 * The batch the delivery ITs drop: one corpus file per SR SOP Instance UID among those that convert (encoding variants
 * of one SR map to the same deterministic ids, D5, so a second variant would be a second, legitimate delivery of that
 * SR), in file-name order, each mapped as the product maps it with {@link ExpectedResources#CREATE_MISSING}.
 */
final class ReportBatch {
    static final Path CORPUS = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"), "corpus", "sr");

    /** One report of the batch: its file, bytes, SR SOP Instance UID and the Bundle the product sends for it. */
    record Report(String name, byte[] content, String srUid, Bundle bundle) {
    }

    private ReportBatch() {
    }

    static List<Report> fromCorpus() throws IOException {
        ReportMapper mapper = new ReportMapper(ExpectedResources.CREATE_MISSING);
        ReportReader reader = new ReportReader();
        Set<String> uids = new HashSet<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(CORPUS)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        List<Report> batch = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            byte[] content = Files.readAllBytes(file);
            try {
                var report = reader.read(content, name);
                String uid = report.document().header().sopInstanceUid();
                Bundle bundle = mapper.convert(report);
                if (uids.add(uid)) {
                    batch.add(new Report(name, content, uid, bundle));
                }
            } catch (InputRejectedException notAReport) {
                // not a TID 1500 report the product converts: not part of a delivery batch
            }
        }
        return batch;
    }
}
