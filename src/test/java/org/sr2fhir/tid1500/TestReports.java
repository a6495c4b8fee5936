package org.sr2fhir.tid1500;

import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.sr.ContentItem;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.sr.RelationshipType;
import org.sr2fhir.sr.SrDocument;
import org.sr2fhir.sr.SrDocumentHeader;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.sr2fhir.sr.RelationshipType.CONTAINS;
import static org.sr2fhir.sr.RelationshipType.HAS_CONCEPT_MOD;
import static org.sr2fhir.sr.RelationshipType.HAS_OBS_CONTEXT;

/**
 * Small SR documents built by hand for the model and mapping tests: a fluent content tree (positions assigned
 * on build) and a header with settable fields.
 */
public final class TestReports {
    public static final String SOP_UID = "2.25.1000";
    public static final String STUDY_UID = "2.25.2000";
    public static final String SERIES_UID = "2.25.3000";

    private TestReports() {
    }

    public static CodedConcept c(String designator, String code, String meaning) {
        return CodedConcept.of(designator, code, meaning);
    }

    /** A content item under construction. */
    public static final class Node {
        private final RelationshipType relationship;
        private final CodedConcept concept;
        private final Function<ContentItem.ItemHeader, ContentItem> make;
        private final List<Node> children = new ArrayList<>();
        private String observationUid;
        private String observationDateTime;

        Node(RelationshipType relationship, CodedConcept concept, Function<ContentItem.ItemHeader, ContentItem> make) {
            this.relationship = relationship;
            this.concept = concept;
            this.make = make;
        }

        public Node with(Node... more) {
            children.addAll(Arrays.asList(more));
            return this;
        }

        public Node uid(String uid) {
            this.observationUid = uid;
            return this;
        }

        public Node at(String dateTime) {
            this.observationDateTime = dateTime;
            return this;
        }

        ContentItem build(List<Integer> position) {
            List<ContentItem> built = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                List<Integer> p = new ArrayList<>(position);
                p.add(i + 1);
                built.add(children.get(i).build(p));
            }
            return make.apply(new ContentItem.ItemHeader(relationship, concept, observationUid, observationDateTime,
                    position, built));
        }
    }

    public static Node container(RelationshipType rel, CodedConcept concept, String template) {
        return new Node(rel, concept, h -> new ContentItem.Container(h, false, template, template == null ? null : "DCMR"));
    }

    public static Node text(RelationshipType rel, CodedConcept concept, String value) {
        return new Node(rel, concept, h -> new ContentItem.Text(h, value));
    }

    public static Node code(RelationshipType rel, CodedConcept concept, CodedConcept value) {
        return new Node(rel, concept, h -> new ContentItem.Code(h, value));
    }

    public static Node num(CodedConcept concept, String value, CodedConcept unit) {
        return num(concept, value == null ? null : new BigDecimal(value), null, unit);
    }

    /** A NUM with a Numeric Value and/or a Floating Point Value (FD, may be NaN or infinite). */
    public static Node num(CodedConcept concept, BigDecimal value, Double floatingPointValue, CodedConcept unit) {
        return new Node(CONTAINS, concept, h -> new ContentItem.Num(h, value, floatingPointValue, null, null, unit,
                null));
    }

    public static Node numWithQualifier(CodedConcept concept, CodedConcept qualifier) {
        return new Node(CONTAINS, concept, h -> new ContentItem.Num(h, null, null, null, null, null, qualifier));
    }

    public static Node uidref(RelationshipType rel, CodedConcept concept, String uid) {
        return new Node(rel, concept, h -> new ContentItem.UidRef(h, uid));
    }

    public static Node pname(RelationshipType rel, CodedConcept concept, String name) {
        return new Node(rel, concept, h -> new ContentItem.PName(h, PersonName.parse(name)));
    }

    public static Node image(RelationshipType rel, CodedConcept concept, ReferencedSop sop) {
        return new Node(rel, concept, h -> new ContentItem.Image(h, sop));
    }

    public static Node composite(RelationshipType rel, CodedConcept concept, ReferencedSop sop) {
        return new Node(rel, concept, h -> new ContentItem.Composite(h, sop));
    }

    public static Node scoord(RelationshipType rel, CodedConcept concept, String type, String... coordinates) {
        return new Node(rel, concept, h -> new ContentItem.Scoord(h, type,
                Arrays.stream(coordinates).map(BigDecimal::new).toList(), null));
    }

    public static Node scoord3d(RelationshipType rel, CodedConcept concept, String type, String frameOfReference,
                                String... coordinates) {
        return new Node(rel, concept, h -> new ContentItem.Scoord3D(h, type,
                Arrays.stream(coordinates).map(BigDecimal::new).toList(), frameOfReference, null));
    }

    /** TID 1500 root (DCM 126000, template 1500) with a person observer and an Imaging Measurements container. */
    public static Node measurementReport(Node... measurementsChildren) {
        return container(null, c("DCM", "126000", "Imaging Measurement Report"), "1500").with(
                code(HAS_CONCEPT_MOD, c("DCM", "121049", "Language of Content Item and Descendants"),
                        c("RFC5646", "en", "English")),
                code(HAS_OBS_CONTEXT, c("DCM", "121005", "Observer Type"), c("DCM", "121006", "Person")),
                pname(HAS_OBS_CONTEXT, c("DCM", "121008", "Person Observer Name"), "RADIOLOGIST^EXAMPLE"),
                container(CONTAINS, c("DCM", "126010", "Imaging Measurements"), null).with(measurementsChildren));
    }

    /** A Measurement Group (DCM 125007) with a tracking identifier. */
    public static Node group(Node... children) {
        return container(CONTAINS, c("DCM", "125007", "Measurement Group"), "1411").with(children);
    }

    public static Node volume(String value) {
        return num(c("SCT", "118565006", "Volume"), value, c("UCUM", "mm3", "cubic millimeter"));
    }

    public static Node algorithm(String name, String version) {
        return text(HAS_CONCEPT_MOD, c("DCM", "111001", "Algorithm Name"), name)
                .with(text(HAS_CONCEPT_MOD, c("DCM", "111003", "Algorithm Version"), version));
    }

    /** Header fields the tests vary; everything else has a plain valid default. */
    public record Header(String sopClassUid, String patientId, SrDocumentHeader.Issuer patientIssuer,
                         String issuerOfPatientId, String accession, String contentDate, String contentTime,
                         String timezone, String completion, String verification, String preliminary,
                         List<SrDocumentHeader.Participant> participants, String equipmentDeviceUid) {

        public static Header defaults() {
            return new Header("1.2.840.10008.5.1.4.1.1.88.22", "PID-1", null, null, "ACC-1", "20240102", "030405",
                    null, "COMPLETE", "VERIFIED", null, List.of(), "2.25.9000");
        }

        public Header sopClass(String uid) {
            return new Header(uid, patientId, patientIssuer, issuerOfPatientId, accession, contentDate, contentTime,
                    timezone, completion, verification, preliminary, participants, equipmentDeviceUid);
        }

        public Header patient(String id, SrDocumentHeader.Issuer issuer, String issuerOfPatientId) {
            return new Header(sopClassUid, id, issuer, issuerOfPatientId, accession, contentDate, contentTime,
                    timezone, completion, verification, preliminary, participants, equipmentDeviceUid);
        }

        public Header accession(String value) {
            return new Header(sopClassUid, patientId, patientIssuer, issuerOfPatientId, value, contentDate,
                    contentTime, timezone, completion, verification, preliminary, participants, equipmentDeviceUid);
        }

        public Header content(String date, String time, String offset) {
            return new Header(sopClassUid, patientId, patientIssuer, issuerOfPatientId, accession, date, time,
                    offset, completion, verification, preliminary, participants, equipmentDeviceUid);
        }

        public Header flags(String completion, String verification, String preliminary) {
            return new Header(sopClassUid, patientId, patientIssuer, issuerOfPatientId, accession, contentDate,
                    contentTime, timezone, completion, verification, preliminary, participants, equipmentDeviceUid);
        }

        public Header participants(List<SrDocumentHeader.Participant> list) {
            return new Header(sopClassUid, patientId, patientIssuer, issuerOfPatientId, accession, contentDate,
                    contentTime, timezone, completion, verification, preliminary, list, equipmentDeviceUid);
        }

        SrDocumentHeader build() {
            return new SrDocumentHeader(sopClassUid, SOP_UID, STUDY_UID, SERIES_UID, "SR", "1", "1", null,
                    new SrDocumentHeader.Patient(patientId, issuerOfPatientId, patientIssuer,
                            PersonName.parse("DOE^JANE"), "19700101", "F"),
                    new SrDocumentHeader.Study("S1", "20240101", "010203", null, accession, null, null),
                    new SrDocumentHeader.Equipment("ACME", "Measurer", "SN1", equipmentDeviceUid, null, null, null,
                            null),
                    contentDate, contentTime, timezone, completion, verification, preliminary, participants, null,
                    null, null);
        }
    }

    public static SrDocument document(Header header, Node root) {
        return new SrDocument("test.dcm", null, header.build(), (ContentItem.Container) root.build(List.of(1)),
                null, null);
    }

    public static MeasurementReport report(Header header, Node root) throws InputRejectedException {
        return MeasurementReport.from(document(header, root));
    }

    public static MeasurementReport report(Node root) throws InputRejectedException {
        return report(Header.defaults(), root);
    }
}
