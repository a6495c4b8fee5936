package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.Test;
import org.sr2fhir.tid1500.MeasurementReport;

class ReportVariantsTest {

    @Test
    void variantsAreDistinctReportsOfTheirStudyAndPatient() throws Exception {
        List<ReportVariants.Variant> variants = ReportVariants.derive("t1", 12, 4, 2);
        assertThat(variants).hasSize(12);
        assertThat(variants.stream().map(ReportVariants.Variant::srUid).distinct()).hasSize(12);
        assertThat(variants.stream().map(ReportVariants.Variant::studyUid).distinct()).hasSize(4);
        assertThat(variants.stream().map(ReportVariants.Variant::patientId).distinct()).hasSize(2);
        for (ReportVariants.Variant variant : variants) {
            assertThat(variant.study()).isEqualTo(Integer.parseInt(variant.name().substring(4, 7)));
            MeasurementReport report = variant.read();
            assertThat(report.document().header().sopInstanceUid()).isEqualTo(variant.srUid());
            assertThat(report.document().header().studyInstanceUid()).isEqualTo(variant.studyUid());
            Bundle bundle = variant.bundle(ExpectedResources.CREATE_MISSING);
            Set<String> studies = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(ImagingStudy.class::isInstance).map(ImagingStudy.class::cast)
                    .flatMap(study -> study.getIdentifier().stream()).map(id -> id.getValue())
                    .collect(Collectors.toSet());
            assertThat(studies).contains("urn:oid:" + variant.studyUid());
            assertThat(bundle.getEntry()).anySatisfy(entry -> assertThat(entry.getResource())
                    .isInstanceOfSatisfying(Patient.class, patient -> assertThat(patient.getIdentifierFirstRep()
                            .getValue()).isEqualTo(variant.patientId())));
        }
        // the same call gives the same bytes; another run other UIDs
        assertThat(ReportVariants.derive("t1", 12, 4, 2).get(5).content()).isEqualTo(variants.get(5).content());
        assertThat(ReportVariants.derive("t2", 1, 1, 1).get(0).srUid()).isNotEqualTo(variants.get(0).srUid());
    }
}
