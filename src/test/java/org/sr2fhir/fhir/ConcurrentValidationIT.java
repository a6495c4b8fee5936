package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirVersionEnum;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.r4.R4Renderer;
import org.sr2fhir.tid1500.ReportCorpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM's one validator per FHIR version is shared by the delivery's worker threads (decision D56): the corpus
 * validated from 4 threads at once, each thread starting at a different report and validating more Bundles than a
 * thread keeps its RI validator for ({@link ReusingInstanceValidator#USES}), gets the same reports, message by message, as one
 * thread going through it once. Slow (validator start-up), hence an IT.
 */
class ConcurrentValidationIT {
    private static final int THREADS = 4;

    @ParameterizedTest
    @EnumSource(value = FhirVersionEnum.class, names = {"R5", "R4"})
    void fourThreadsGetWhatOneThreadGets(FhirVersionEnum version) throws Exception {
        List<IBaseBundle> bundles = corpus(version);
        IgValidator validator = IgValidator.shared(version);
        List<IgValidator.Report> alone = bundles.stream().map(validator::validate).toList();
        assertThat(alone).allSatisfy(report -> assertThat(report.errors()).isEmpty());
        assertThat(alone).anySatisfy(report -> assertThat(report.warnings()).isNotEmpty());

        // each thread past the renewal of its RI validator (decision D55)
        int perThread = ReusingInstanceValidator.USES + bundles.size() / THREADS;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t * bundles.size() / THREADS;
                threads.add(pool.submit(() -> {
                    List<String> differences = new ArrayList<>();
                    for (int n = 0; n < perThread; n++) {
                        int i = (first + n) % bundles.size();
                        IgValidator.Report report = validator.validate(bundles.get(i));
                        if (!report.equals(alone.get(i))) {
                            differences.add("Bundle " + i + ": " + report + " instead of " + alone.get(i));
                        }
                    }
                    return differences;
                }));
            }
            for (Future<List<String>> thread : threads) {
                assertThat(thread.get()).isEmpty();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static List<IBaseBundle> corpus(FhirVersionEnum version) {
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults(), CorpusConversionTest.EVERY_STUDY_KNOWN);
        R4Renderer renderer = new R4Renderer();
        List<IBaseBundle> bundles = new ArrayList<>();
        for (Path file : ReportCorpus.files()) {
            try {
                org.hl7.fhir.r5.model.Bundle bundle = mapper.convert(ReportCorpus.read(file));
                bundles.add(version == FhirVersionEnum.R5 ? bundle : renderer.render(bundle));
            } catch (InputRejectedException e) {
                // rejections are asserted by CorpusConversionTest
            }
        }
        return bundles;
    }
}
