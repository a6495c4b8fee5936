package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.sr2fhir.tid1500.ContextItem;
import org.sr2fhir.tid1500.Measurement;
import org.sr2fhir.tid1500.UnsentValue;
import org.sr2fhir.tid1500.QualitativeEvaluation;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The Observation profiles: the fields every imaging-observation carries (ig-digest §2.1: subject, basedOn,
 * partOf, status D7, issued/effective D8, performer, Observation UID identifier) and the member kinds:
 * imaging-measurement (TID 300 / 1419), imaging-qualitative-evaluation (D11) and derived-imaging-measurement
 * (TID 1420).
 */
final class ObservationMapper {
    static final String GROUP_ROLE = "group";
    static final String MEASUREMENT_ROLE = "measurement";
    static final String EVALUATION_ROLE = "evaluation";
    static final String DERIVED_ROLE = "derived";

    private final CodingSchemes schemes;

    ObservationMapper(CodingSchemes schemes) {
        this.schemes = schemes;
    }

    CodingSchemes schemes() {
        return schemes;
    }

    /** Context fields of every Observation; {@code observationDateTime} is the nearest (0040,A032) or null. */
    Observation base(ReportContext context, String profile, String observationUid, String observationDateTime) {
        Observation observation = new Observation();
        observation.getMeta().addProfile(profile);
        if (observationUid != null) {
            observation.addIdentifier(new Identifier()
                    .setType(new CodeableConcept(new org.hl7.fhir.r5.model.Coding(Profiles.IDENTIFIER_TYPE,
                            "observation-uid", "Observation UID")))
                    .setSystem(Profiles.DICOM_UID).setValue(Profiles.oid(observationUid)));
        }
        observation.setStatus(Enumerations.ObservationStatus.fromCode(context.status()));
        observation.setSubject(context.subject());
        if (context.serviceRequest() != null) {
            observation.addBasedOn(context.serviceRequest());
        }
        observation.addPartOf(context.study());
        observation.setIssuedElement(DicomDateTimes.instant(context.issued()));
        OffsetDateTime effective = DicomDateTimes.ofDateTime(observationDateTime, context.zone());
        observation.setEffective(DicomDateTimes.dateTime(effective != null ? effective : context.issued()));
        for (String performer : context.performerReferences()) {
            observation.addPerformer(new Reference(performer));
        }
        return observation;
    }

    /** imaging-measurement, or derived-imaging-measurement when {@code derived}: code and value (D13). */
    Observation measurement(ReportContext context, Measurement measurement, boolean derived) {
        Observation observation = base(context, derived ? Profiles.DERIVED_MEASUREMENT : Profiles.MEASUREMENT,
                measurement.observationUid(), measurement.observationDateTime());
        if (derived) {
            observation.addCategory(Profiles.dcmConcept("126011", "Derived Imaging Measurements"));
        }
        observation.setCode(schemes.concept(measurement.concept()));
        if (measurement.value() != null) {
            observation.setValue(schemes.quantity(measurement.value(), measurement.unit()));
        } else {
            // decision D13: no number is made up; the qualifier says why the value is absent. The IG profiles require
            // a value (ig-digest §2.3), so such an Observation cannot claim them (D22 applies to what conforms).
            observation.getMeta().getProfile().clear();
            // decision D45: a value the SR holds but FHIR servers cannot is named with its own reason
            UnsentValue unsent = measurement.unsentValue();
            CodeableConcept absent = new CodeableConcept(new org.hl7.fhir.r5.model.Coding(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason", unsent == null ? "unknown" : unsent.code(),
                    unsent == null ? "Unknown" : unsent.display()));
            if (unsent != null) {
                absent.setText(unsent.reason());
            } else if (measurement.valueQualifier() != null) {
                absent.setText(measurement.valueQualifier().meaning());
                schemes.codings(measurement.valueQualifier()).forEach(absent::addCoding);
            }
            observation.setDataAbsentReason(absent);
        }
        if (measurement.method() != null) {
            observation.setMethod(schemes.concept(measurement.method()));
        }
        // TID 300 row 5 Derivation (Mean, Maximum ...) is what tells apart NUMs with the same concept name (e.g.
        // several SUVbw of one ROI). The IG maps it nowhere (ig-digest §9 item 22); a component keeps it without
        // touching any profiled element.
        if (measurement.derivation() != null) {
            observation.addComponent().setCode(Profiles.dcmConcept("121401", "Derivation"))
                    .setValue(schemes.concept(measurement.derivation()));
        }
        return observation;
    }

    /**
     * Decisions D29, D30: the observation context that applies to an Observation (TID 1502 time point, Activity
     * Session), one component per item: the item's concept as code, its TEXT, CODE or NUM value. The IG gives these
     * no place; components keep them searchable (component-code, component-value-concept) without touching a
     * profiled element.
     */
    void context(Observation observation, List<ContextItem> items) {
        for (ContextItem item : items) {
            Observation.ObservationComponentComponent component = observation.addComponent()
                    .setCode(schemes.concept(item.concept()));
            if (item.text() != null) {
                component.setValue(new StringType(item.text()));
            } else if (item.code() != null) {
                component.setValue(schemes.concept(item.code()));
            } else {
                component.setValue(schemes.quantity(item.number(), item.unit()));
            }
        }
    }

    /** imaging-qualitative-evaluation: category UMLS C0034375, CODE value or TEXT as valueCodeableConcept.text. */
    Observation evaluation(ReportContext context, QualitativeEvaluation evaluation) {
        Observation observation = base(context, Profiles.QUALITATIVE_EVALUATION, evaluation.observationUid(),
                evaluation.observationDateTime());
        observation.addCategory(new CodeableConcept(new org.hl7.fhir.r5.model.Coding(Profiles.UMLS, "C0034375",
                "Qualitative Evaluations")));
        observation.setCode(schemes.concept(evaluation.concept()));
        observation.setValue(evaluation.codeValue() != null ? schemes.concept(evaluation.codeValue())
                : new CodeableConcept().setText(evaluation.textValue()));
        return observation;
    }
}
