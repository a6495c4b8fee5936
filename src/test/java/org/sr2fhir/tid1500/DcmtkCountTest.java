package org.sr2fhir.tid1500;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sr2fhir.Prerequisites;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per TID 1500 file, the model has as many groups, measurements, qualitative evaluations and region/reference
 * items (with the regions under evaluations, D25, and the source images, D28) as DCMTK's dsrdump reads from the same
 * Part 10 file (and from its DICOM JSON twin, which must give the
 * same model). A missing dsrdump fails the test (D70).
 */
class DcmtkCountTest {
    private static final Pattern ITEM = Pattern.compile(
            "^( *)<([a-z ]+?) ([A-Z0-9]+):(?:\\(([^,]*),([^,]*),\"[^\"]*\"\\))?");
    /** D11's exclusions, as concept "code,scheme" pairs. */
    private static final Set<String> NOT_EVALUATIONS = Set.of("112039,DCM", "121071,DCM", "130400,DCM",
            "C67447,NCIt", "276214006,SCT", "363698007,SCT", "G-C0E3,SRT", "370129005,SCT", "G-C036,SRT",
            "111000,DCM", "111001,DCM", "111002,DCM", "111003,DCM", "121049,DCM", "121005,DCM", "121008,DCM",
            "112040,DCM");
    private static final Set<String> REGIONS = Set.of("111030,DCM", "121191,DCM", "121214,DCM", "130488,DCM",
            "121231,DCM", "126100,DCM", "121200,DCM", "130401,DCM");
    /** D28: a group's source image is a CONTAINS IMAGE named SCT 260753009 "Source", or not named. */
    private static final Set<String> SOURCE_IMAGE = Set.of("260753009,SCT", "G-C05F,SRT", "");
    /** D28: a measurement's or evaluation's INFERRED FROM IMAGE: "Source of Measurement", "Source", or not named. */
    private static final Set<String> MEMBER_SOURCE_IMAGE = Set.of("121112,DCM", "260753009,SCT", "G-C05F,SRT", "");

    static Stream<Path> reports() {
        return ReportCorpus.files().stream().filter(f -> f.toString().endsWith(".dcm")).filter(ReportCorpus::isTid1500);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void modelCountsEqualDcmtk(Path file) throws Exception {
        Counts dcmtk = dcmtk(file);
        MeasurementReport report = ReportCorpus.read(file);
        Counts model = Counts.of(report);
        assertThat(model).as(ReportCorpus.name(file)).isEqualTo(dcmtk);
        assertThat(model.groups() + model.evaluations()).as("a report with content").isPositive();

        Path twin = ReportCorpus.ROOT.resolve(ReportCorpus.name(file).replaceFirst("^sr/", "json/")
                .replaceFirst("\\.dcm$", ".json"));
        if (Files.exists(twin)) {
            assertThat(Counts.of(ReportCorpus.read(twin))).as(ReportCorpus.name(twin)).isEqualTo(dcmtk);
        }
    }

    record Counts(int groups, int measurements, int evaluations, int regions) {
        static Counts of(MeasurementReport report) {
            int measurements = 0;
            int evaluations = report.qualitativeEvaluations().size();
            int regions = 0;
            for (MeasurementGroup group : report.measurementGroups()) {
                measurements += group.measurements().size();
                evaluations += group.qualitativeEvaluations().size();
                regions += group.regions().size() + group.measurements().stream().mapToInt(m -> m.regions().size()).sum()
                        + group.qualitativeEvaluations().stream().mapToInt(e -> e.regions().size()).sum();
            }
            return new Counts(report.measurementGroups().size(), measurements, evaluations, regions);
        }
    }

    /** One dsrdump line: depth (2 spaces per level), relationship, value type, concept "code,scheme". */
    record Line(int depth, String relationship, String valueType, String concept) {
    }

    private static Counts dcmtk(Path file) throws IOException, InterruptedException {
        Path dsrdump = Prerequisites.executable("dcmtk", Path.of("/usr/bin/dsrdump"), Path.of("/usr/local/bin/dsrdump"));
        Process process = new ProcessBuilder(dsrdump.toString(), "+Pc", "-Er", "-Ev", "-Ec", "-Ee", file.toString())
                .redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        process.waitFor(60, TimeUnit.SECONDS);
        List<Line> lines = new ArrayList<>();
        for (String text : out.split("\n")) {
            Matcher m = ITEM.matcher(text);
            if (m.find()) {
                lines.add(new Line(m.group(1).length() / 2, m.group(2), m.group(3),
                        m.group(4) == null ? "" : m.group(4) + "," + m.group(5)));
            }
        }
        int groups = 0;
        int measurements = 0;
        int evaluations = 0;
        int regions = 0;
        // root items are at depth 1 ("  <contains ..."), the 126010 container's children at depth 2
        String level1 = "";
        String level2 = "";
        Line level3 = null;
        for (Line line : lines) {
            if (line.depth() == 1) {
                level1 = line.concept();
            } else if (line.depth() == 2) {
                level2 = line.concept();
            } else if (line.depth() == 3) {
                level3 = line;
            }
            boolean inGroup = level1.equals("126010,DCM") && level2.equals("125007,DCM");
            if (line.depth() == 2 && level1.equals("126010,DCM") && line.concept().equals("125007,DCM")) {
                groups++;
            } else if (line.depth() == 3 && inGroup) {
                if (line.valueType().equals("NUM") && line.relationship().equals("contains")) {
                    measurements++;
                } else if (isEvaluation(line)) {
                    evaluations++;
                } else if (REGIONS.contains(line.concept()) && !line.relationship().equals("has concept mod")
                        || line.valueType().equals("IMAGE") && line.relationship().equals("contains")
                        && SOURCE_IMAGE.contains(line.concept())) {
                    regions++;
                }
            } else if (line.depth() == 4 && inGroup && level3 != null
                    && (level3.valueType().equals("NUM") && level3.relationship().equals("contains") || isEvaluation(level3))
                    && line.relationship().equals("inferred from")
                    && (line.valueType().equals("SCOORD") || line.valueType().equals("SCOORD3D")
                    || line.valueType().equals("IMAGE") && MEMBER_SOURCE_IMAGE.contains(line.concept()))) {
                regions++;
            } else if (line.depth() == 2 && level1.equals("C0034375,UMLS") && isEvaluation(line)) {
                evaluations++;
            }
        }
        return new Counts(groups, measurements, evaluations, regions);
    }

    private static boolean isEvaluation(Line line) {
        return line.relationship().equals("contains")
                && (line.valueType().equals("CODE") || line.valueType().equals("TEXT"))
                && !NOT_EVALUATIONS.contains(line.concept());
    }
}
