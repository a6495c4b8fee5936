package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.ImagingSelection;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.conversion.ConversionReport;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;
import org.sr2fhir.sr.RelationshipType;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.NotMappedItem;
import org.sr2fhir.tid1500.ProducerFixtures;
import org.sr2fhir.tid1500.ReportCorpus;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's proof, over every corpus file and every issue-10 fixture that converts (a study's Patient found for the
 * reports without a Patient ID, D26): walking the SR content tree, every NUM, SCOORD, SCOORD3D and CONTAINS CODE/TEXT
 * item is either in the Bundle (found by its value, independently of how the mapping placed it) or listed in the
 * report's conversion report, itself or an item above it (D34); and no report is delivered without an Observation.
 */
class CorpusContentWalkTest {
    private static final FhirContext FHIR = FhirContext.forR5Cached();
    private final ReportMapper mapper = new ReportMapper(MappingSettings.defaults(),
            CorpusConversionTest.EVERY_STUDY_KNOWN);

    static Stream<String> inputs() {
        return Stream.concat(ReportCorpus.files().stream().map(Path::toString),
                ProducerFixtures.NAMES.stream().map(name -> "producers/" + name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void everyValueIsInTheBundleOrListed(String input) throws Exception {
        MeasurementReport report;
        Bundle bundle;
        try {
            report = input.startsWith("producers/") ? ProducerFixtures.read(input.substring("producers/".length()))
                    : ReportCorpus.read(Path.of(input));
            bundle = mapper.convert(report);
        } catch (InputRejectedException refused) {
            return; // refusals are asserted by CorpusConversionTest and ProducerFixturesTest
        }
        assertThat(bundle.getEntry()).as("an Observation").anyMatch(e -> e.getResource() instanceof Observation);
        Set<String> listed = ConversionReport.converted(report, List.of(bundle)).notMapped().stream()
                .map(NotMappedItem::path).collect(Collectors.toSet());
        Contents contents = new Contents(bundle);
        List<String> lost = new ArrayList<>();
        walk(report.document().root(), item -> {
            if (isListed(item.path(), listed)) {
                return;
            }
            boolean found = switch (item.valueType()) {
                case NUM -> contents.hasMeasurement((ContentItem.Num) item);
                case SCOORD -> contents.hasRegion2d((ContentItem.Scoord) item);
                case SCOORD3D -> contents.hasRegion3d((ContentItem.Scoord3D) item);
                case CODE, TEXT -> item.relationship() != RelationshipType.CONTAINS || contents.hasValue(item);
                default -> true;
            };
            if (!found) {
                lost.add(item.path() + " " + item.valueType() + " " + item.conceptName());
            }
        });
        assertThat(lost).as("content items neither in the Bundle nor in the conversion report").isEmpty();
    }

    private static boolean isListed(String path, Set<String> listed) {
        for (String p = path; p.contains("."); p = p.substring(0, p.lastIndexOf('.'))) {
            if (listed.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Every item below {@code item} in document order; a by-reference node is skipped (its target is walked). */
    private static void walk(ContentItem item, java.util.function.Consumer<ContentItem> visit) {
        for (ContentItem child : item.children()) {
            if (!(child instanceof ContentItem.ByReference)) {
                visit.accept(child);
                walk(child, visit);
            }
        }
    }

    /** What the Bundle holds, gathered without regard to where the mapping put it. */
    private static final class Contents {
        private final List<Observation> observations = new ArrayList<>();
        private final List<List<BigDecimal>> regions2d = new ArrayList<>();
        private final List<List<BigDecimal>> regions3d = new ArrayList<>();
        private final Set<String> codes = new java.util.HashSet<>();
        private final Set<String> strings = new java.util.HashSet<>();

        Contents(Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof Observation o) {
                    observations.add(o);
                }
                if (entry.getResource() instanceof ImagingSelection s) {
                    for (ImagingSelection.ImagingSelectionInstanceComponent instance : s.getInstance()) {
                        instance.getImageRegion2D().forEach(r -> regions2d.add(
                                r.getCoordinate().stream().map(DecimalType::getValue).toList()));
                    }
                    for (Extension region : s.getExtensionsByUrl(ImagingSelectionMapper.IMAGE_REGION_3D_EXTENSION)) {
                        regions3d.add(region.getExtensionsByUrl("coordinate").stream()
                                .map(c -> ((DecimalType) c.getValue()).getValue()).toList());
                    }
                }
                FHIR.newTerser().getAllPopulatedChildElementsOfType(entry.getResource(), Coding.class)
                        .forEach(c -> codes.add(c.getCode()));
                for (Base primitive : FHIR.newTerser().getAllPopulatedChildElementsOfType(entry.getResource(),
                        PrimitiveType.class)) {
                    strings.add(((PrimitiveType<?>) primitive).getValueAsString());
                }
            }
        }

        /** An Observation, or an Observation.component, with the NUM's concept and value (or no value, D13). */
        boolean hasMeasurement(ContentItem.Num num) {
            BigDecimal value = num.floatingPointValue() != null ? new BigDecimal(Double.toString(num.floatingPointValue()))
                    : num.numericValue();
            for (Observation o : observations) {
                if (matches(o.getCode(), num.conceptName()) && matchesValue(o.hasValueQuantity() ? o.getValueQuantity()
                        : null, value, o.hasDataAbsentReason())) {
                    return true;
                }
                for (Observation.ObservationComponentComponent c : o.getComponent()) {
                    if (matches(c.getCode(), num.conceptName())
                            && matchesValue(c.hasValueQuantity() ? c.getValueQuantity() : null, value, false)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean matchesValue(Quantity quantity, BigDecimal value, boolean absent) {
            if (value == null) {
                return absent || quantity == null;
            }
            return quantity != null && quantity.getValue().compareTo(value) == 0;
        }

        /** An image-region-2d with the coordinates; a MULTIPOINT as one point region per point (D17). */
        boolean hasRegion2d(ContentItem.Scoord scoord) {
            if ("MULTIPOINT".equalsIgnoreCase(scoord.graphicType())) {
                List<BigDecimal> data = scoord.graphicData();
                for (int i = 0; i + 1 < data.size(); i += 2) {
                    if (!containsEqual(regions2d, data.subList(i, i + 2))) {
                        return false;
                    }
                }
                return true;
            }
            return containsEqual(regions2d, scoord.graphicData());
        }

        boolean hasRegion3d(ContentItem.Scoord3D scoord) {
            return containsEqual(regions3d, scoord.graphicData());
        }

        /** The CODE/TEXT as an Observation's code and value, else its value anywhere in the Bundle. */
        boolean hasValue(ContentItem item) {
            for (Observation o : observations) {
                if (matches(o.getCode(), item.conceptName()) && o.hasValueCodeableConcept()) {
                    CodeableConcept value = o.getValueCodeableConcept();
                    if (item instanceof ContentItem.Code code && matches(value, code.value())
                            || item instanceof ContentItem.Text text && text.text().equals(value.getText())) {
                        return true;
                    }
                }
            }
            return item instanceof ContentItem.Code code ? codes.contains(code.value().code())
                    : strings.contains(((ContentItem.Text) item).text());
        }

        private static boolean matches(CodeableConcept concept, CodedConcept coded) {
            return coded != null && concept.getCoding().stream().anyMatch(c -> coded.code().equals(c.getCode()));
        }

        private static boolean containsEqual(List<List<BigDecimal>> lists, List<BigDecimal> wanted) {
            return lists.stream().anyMatch(list -> list.size() == wanted.size() && java.util.stream.IntStream
                    .range(0, list.size()).allMatch(i -> list.get(i).compareTo(wanted.get(i)) == 0));
        }
    }
}
