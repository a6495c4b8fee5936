package org.sr2fhir.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.fhir.MappingSettings;
import org.sr2fhir.fhir.ReportMapper;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ProducerFixtures;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Decision D34: the conversion report's JSON and one-line summary, converted and refused. */
class ConversionReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aConvertedReportCountsItsResourcesAndListsWhatWasLeftOut() throws Exception {
        MeasurementReport report = ProducerFixtures.read("observer-context");
        Bundle bundle = new ReportMapper(MappingSettings.defaults()).convert(report);
        JsonNode json = JSON.readTree(ConversionReport.converted(report, List.of(bundle)).toJson());
        assertThat(json.get("source").asText()).isEqualTo("observer-context.dcm");
        assertThat(json.get("sopInstanceUid").asText()).isEqualTo("2.25.10109");
        assertThat(json.get("status").asText()).isEqualTo("converted");
        assertThat(json.has("reason")).isFalse();
        assertThat(json.get("resources").toString()).isEqualTo("{\"Device\":2,\"DiagnosticReport\":1,"
                + "\"Observation\":2,\"Organization\":1,\"Practitioner\":1,\"PractitionerRole\":1}");
        assertThat(json.get("profiles").toString()).isEqualTo("{\"dicom-general-equipment\":1,"
                + "\"dicom-participant-device\":1,\"dicom-participant-person\":1,\"imaging-measurement\":1,"
                + "\"imaging-measurement-group\":1}");
        JsonNode shortLabel = json.get("notMapped").get(1);
        assertThat(shortLabel.toString()).isEqualTo("{\"path\":\"1.15.1.4\",\"concept\":{\"code\":\"125309\","
                + "\"scheme\":\"DCM\",\"meaning\":\"Short label\"},\"valueType\":\"TEXT\",\"itemsBelow\":0,"
                + "\"reason\":\"a viewer's display attribute (label or colour of the annotation), not clinical "
                + "content\"}");
        assertThat(json.get("notMapped")).hasSize(3);
        assertThat(json.get("deviations")).isEmpty();
    }

    @Test
    void aRefusedReportCarriesTheReasonAndWhatReadingFound() throws Exception {
        MeasurementReport report = ProducerFixtures.read("nothing-to-map");
        InputRejectedException refusal;
        try {
            new ReportMapper(MappingSettings.defaults()).convert(report);
            throw new AssertionError("not refused");
        } catch (InputRejectedException e) {
            refusal = e;
        }
        ConversionReport conversion = ConversionReport.rejected(report, refusal);
        assertThat(conversion.summary()).isEqualTo("nothing-to-map.dcm (SR 2.25.10102): rejected: " + refusal.reason()
                + "; 2 content items not mapped: Language of Content Item and Descendants, Image Library");
        JsonNode json = JSON.readTree(conversion.toJson());
        assertThat(json.get("status").asText()).isEqualTo("rejected");
        assertThat(json.get("reason").asText()).startsWith("nothing to map: ");
        assertThat(json.get("retryable").asBoolean()).isFalse();
        assertThat(json.has("resources")).isFalse();
        assertThat(json.get("notMapped").get(1).get("itemsBelow").asInt()).isEqualTo(2);
    }

    @Test
    void anInputRefusedBeforeItWasReadHasNoContentNotes() throws Exception {
        ConversionReport conversion = ConversionReport.rejected(null,
                new InputRejectedException("x.dcm", null, "not a DICOM file"));
        assertThat(conversion.summary()).isEqualTo("x.dcm: rejected: not a DICOM file");
        assertThat(conversion.toJson()).isEqualTo("""
                {
                  "source" : "x.dcm",
                  "sopInstanceUid" : null,
                  "status" : "rejected",
                  "reason" : "not a DICOM file",
                  "retryable" : false,
                  "notMapped" : [ ],
                  "deviations" : [ ]
                }""");
    }

    @Test
    void aRefusalThatMayPassLaterSaysWhatToDo() throws Exception {
        ConversionReport conversion = ConversionReport.rejected(null, InputRejectedException.retryableLater("y.dcm",
                "2.25.1", "no ImagingStudy yet", "move it back later"));
        JsonNode json = JSON.readTree(conversion.toJson());
        assertThat(json.get("retryable").asBoolean()).isTrue();
        assertThat(json.get("retryHint").asText()).isEqualTo("move it back later");
        assertThat(json.get("sopInstanceUid").asText()).isEqualTo("2.25.1");
    }
}
