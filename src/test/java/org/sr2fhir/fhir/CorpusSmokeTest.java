package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportCorpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

class CorpusSmokeTest {
    @Test
    void smoke() throws Exception {
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults());
        Path out = Path.of("target/smoke");
        Files.createDirectories(out);
        for (Path file : ReportCorpus.files()) {
            String line;
            try {
                MeasurementReport report = ReportCorpus.read(file);
                Bundle bundle = mapper.convert(report);
                Map<String, Long> types = new TreeMap<>(bundle.getEntry().stream().collect(Collectors.groupingBy(
                        e -> e.getResource().fhirType(), Collectors.counting())));
                line = "OK " + types;
                Files.writeString(out.resolve(file.getFileName() + ".json"),
                        FhirContext.forR5Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle));
            } catch (InputRejectedException e) {
                line = "REJECT " + e.reason();
            } catch (Exception e) {
                line = "BUG " + e;
                e.printStackTrace();
            }
            System.out.println("SMOKE " + ReportCorpus.name(file) + " tid1500=" + ReportCorpus.isTid1500(file) + " " + line);
        }
    }
}
