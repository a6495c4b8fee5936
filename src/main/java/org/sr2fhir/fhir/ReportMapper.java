package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.PractitionerRole;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.ServiceRequest;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.dicom.PersonName;
import org.sr2fhir.sr.ContentItem;
import org.sr2fhir.sr.ReferencedSop;
import org.sr2fhir.sr.SrDocumentHeader;
import org.sr2fhir.sr.ValueType;
import org.sr2fhir.tid1500.DerivedMeasurement;
import org.sr2fhir.tid1500.DeviceObserver;
import org.sr2fhir.tid1500.MeasurementGroup;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.PersonObserver;
import org.sr2fhir.tid1500.QualitativeEvaluation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a TID 1500 report to one transaction Bundle (decision D6). The route calls the three steps separately
 * (context once, mapGroup per split exchange, assemble in the aggregation); {@link #convert} chains them for
 * the CLI, so both share all mapping code. Thread-safe.
 */
public final class ReportMapper {
    private static final FhirContext FHIR = FhirContext.forR5Cached();

    private final MappingSettings settings;
    private final StudySubjects studies;
    private final CodingSchemes schemes;
    private final DeviceMapper devices;
    private final PractitionerMapper practitioners;
    private final ObservationMapper observations;
    private final ImagingSelectionMapper selections = new ImagingSelectionMapper();
    private final MeasurementGroupMapper groups;
    private final DiagnosticReportMapper reports = new DiagnosticReportMapper();

    /** A mapper without a FHIR server: a report with an empty Patient ID is refused (decision D26). */
    public ReportMapper(MappingSettings settings) {
        this(settings, null);
    }

    /** {@code studies} answers decision D26's look-up (null: no server to ask). */
    public ReportMapper(MappingSettings settings, StudySubjects studies) {
        this.settings = settings;
        this.studies = studies;
        this.schemes = new CodingSchemes(settings.codingSchemes());
        this.devices = new DeviceMapper(schemes);
        this.practitioners = new PractitionerMapper(schemes);
        this.observations = new ObservationMapper(schemes);
        this.groups = new MeasurementGroupMapper(observations, selections,
                new FindingSiteMapper(schemes), devices);
    }

    public ReportContext context(MeasurementReport report) throws InputRejectedException {
        SrDocumentHeader header = report.document().header();
        String source = report.document().source();
        String sopUid = header.sopInstanceUid();
        if (sopUid == null || sopUid.isBlank()) {
            throw new InputRejectedException(source, null, "no SOP Instance UID (0008,0018), cannot identify the report");
        }
        if (report.isEmpty()) {
            // decision D23: a report from which no Observation comes out is never sent
            throw new InputRejectedException(source, sopUid, "nothing to map: no Measurement Group, derived "
                    + "measurement or qualitative evaluation, so no Observation would come out; the document holds "
                    + holdings(report.document().root()));
        }
        if (header.studyInstanceUid() == null || header.studyInstanceUid().isBlank()) {
            throw new InputRejectedException(source, sopUid,
                    "no Study Instance UID (0020,000D), cannot link the ImagingStudy");
        }
        ZoneId zone = DicomDateTimes.offset(header.timezoneOffsetFromUtc());
        zone = zone != null ? zone : settings.defaultTimezone();
        OffsetDateTime issued = DicomDateTimes.of(header.contentDate(), header.contentTime(), zone);
        if (issued == null && header.study() != null) {
            issued = DicomDateTimes.of(header.study().studyDate(), header.study().studyTime(), zone);
        }
        if (issued == null) {
            throw new InputRejectedException(source, sopUid,
                    "no valid Content Date (0008,0023) or Study Date (0008,0020), cannot set Observation.issued");
        }
        EntryFactory entries = new EntryFactory(sopUid, settings.ids());
        List<MappedEntry> leading = new ArrayList<>();

        // decision D3: conditional references, or conditional creates of minimal resources; D26 without a Patient ID
        Reference subject = subject(report, leading);
        Identifier studyId = new Identifier().setType(Profiles.dcmConcept("110180", "Study Instance UID"))
                .setSystem(Profiles.DICOM_UID).setValue(Profiles.oid(header.studyInstanceUid()));
        Reference study = link(leading, "ImagingStudy", "identifier=" + token(Profiles.DICOM_UID, studyId.getValue()),
                studyId, () -> new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE)
                        .addIdentifier(studyId.copy()), subject);
        Reference serviceRequest = null;
        if (header.study() != null && header.study().accessionNumber() != null
                && !header.study().accessionNumber().isBlank()) {
            Identifier accession = new Identifier().setType(new CodeableConcept(new Coding(Profiles.V2_0203, "ACSN",
                            "Accession ID")))
                    .setSystem(issuerSystem(header.study().accessionIssuer(), settings.defaultAccessionSystem()))
                    .setValue(header.study().accessionNumber());
            serviceRequest = link(leading, "ServiceRequest", "identifier=" + token(accession.getSystem(),
                    accession.getValue()), accession, () -> new ServiceRequest()
                    .setStatus(Enumerations.RequestStatus.UNKNOWN).setIntent(Enumerations.RequestIntent.ORDER)
                    .addIdentifier(accession.copy()), subject);
        }

        MappedEntry equipment = devices.equipment(entries, header.equipment());
        leading.add(equipment);
        // D9, D31: the content tree's device observer, else the first DEV participant, stands between the algorithms
        // and the equipment; a device that is the equipment is not repeated
        String participantDevice = null;
        DeviceObserver observer = report.deviceObserver();
        if (observer != null && !(observer.uid() != null && header.equipment() != null
                && observer.uid().equals(header.equipment().deviceUid()))) {
            MappedEntry device = devices.observer(entries, observer);
            leading.add(device);
            participantDevice = device.fullUrl();
        }
        Set<String> names = new LinkedHashSet<>();
        for (SrDocumentHeader.Participant participant : header.participants()) {
            if ("DEV".equals(participant.observerType()) && observer == null && participantDevice == null
                    && !sameDevice(participant, header)) {
                MappedEntry device = devices.participant(entries, participant,
                        participant.deviceUid() != null ? participant.deviceUid() : participant.manufacturer() + "|"
                                + participant.modelName());
                leading.add(device);
                participantDevice = device.fullUrl();
            } else if ("PSN".equals(participant.observerType()) && participant.personName() != null
                    && !participant.personName().isEmpty()) {
                names.add(participant.personName().toDicomString());
            }
        }
        report.personObservers().stream().map(PersonObserver::name).filter(n -> n != null && !n.isEmpty())
                .forEach(n -> names.add(n.toDicomString()));
        List<String> performers = new ArrayList<>();
        Map<String, String> practitionerByName = new HashMap<>();
        for (String name : names) {
            MappedEntry practitioner = practitioners.practitioner(entries, PersonName.parse(name));
            leading.add(practitioner);
            performers.add(practitioner.fullUrl());
            practitionerByName.put(name, practitioner.fullUrl());
        }
        // D32: a person observer's organization, and the PractitionerRole that ties them, as a further performer
        for (PersonObserver person : report.personObservers()) {
            String practitioner = person.name() == null ? null : practitionerByName.get(person.name().toDicomString());
            if (practitioner != null) {
                for (MappedEntry entry : practitioners.organization(entries, practitioner, person)) {
                    leading.add(entry);
                    if (entry.resource() instanceof PractitionerRole) {
                        performers.add(entry.fullUrl());
                    }
                }
            }
        }

        ReportContext base = new ReportContext(report, entries, subject, serviceRequest, study, status(header),
                issued, zone, equipment.fullUrl(), participantDevice, performers, evidence(header),
                schemes.concept(report.title()), leading, List.of(), List.of());
        List<MappedEntry> trailing = new ArrayList<>();
        List<String> results = new ArrayList<>();
        mapDerived(base, report, trailing, results);
        mapRootEvaluations(base, report, trailing, results);
        return new ReportContext(report, entries, subject, serviceRequest, study, base.status(), issued, zone,
                equipment.fullUrl(), participantDevice, performers, evidence(header), schemes.concept(report.title()),
                leading, trailing, results);
    }

    /**
     * Decisions D3, D4 and D26: the Patient by its identifier; without a Patient ID (Type 2, empty in many viewer
     * exports), the Patient that the server's ImagingStudy for the study names, or a refusal saying why not.
     */
    private Reference subject(MeasurementReport report, List<MappedEntry> leading) throws InputRejectedException {
        SrDocumentHeader header = report.document().header();
        if (header.patient() != null && header.patient().patientId() != null
                && !header.patient().patientId().isBlank()) {
            Identifier patientId = patientIdentifier(header.patient());
            String patientSearch = "identifier=" + token(patientId.getSystem(), patientId.getValue());
            return link(leading, "Patient", patientSearch, patientId, () -> minimalPatient(header, patientId), null);
        }
        String source = report.document().source();
        String sopUid = header.sopInstanceUid();
        String studyUid = header.studyInstanceUid();
        if (settings.missingPatientId() == MappingSettings.MissingPatientId.REJECT) {
            throw new InputRejectedException(source, sopUid, "no Patient ID (0010,0020), cannot link the subject "
                    + "(sr2fhir.linking.missing-patient-id is reject)");
        }
        if (studies == null) {
            throw new InputRejectedException(source, sopUid, "no Patient ID (0010,0020), and no FHIR server to ask "
                    + "for the Patient of study " + studyUid + " (sr2fhir.linking.missing-patient-id from-study needs "
                    + "one; the convert command asks only when --sr2fhir.fhir.url is given)");
        }
        StudySubjects.Answer answer = studies.find(studyUid);
        if (answer instanceof StudySubjects.Found found) {
            return new Reference(found.patientReference());
        }
        if (answer instanceof StudySubjects.Ambiguous ambiguous) {
            throw new InputRejectedException(source, sopUid, "no Patient ID (0010,0020), and the FHIR server's "
                    + "ImagingStudies with Study Instance UID " + studyUid + " name different subjects: "
                    + String.join(", ", ambiguous.subjects()));
        }
        if (answer instanceof StudySubjects.NoPatient noPatient) {
            throw InputRejectedException.retryableLater(source, sopUid, "no Patient ID (0010,0020), and the FHIR "
                    + "server's ImagingStudy with Study Instance UID " + studyUid + (noPatient.subject() == null
                    ? " names no subject" : " names " + noPatient.subject() + ", not a Patient"),
                    "move this file back to the inbox once the ImagingStudy names its Patient");
        }
        throw InputRejectedException.retryableLater(source, sopUid, "no Patient ID (0010,0020), and the FHIR server "
                        + "has no ImagingStudy with Study Instance UID " + studyUid + " to take the Patient from "
                        + "(sr2fhir.linking.missing-patient-id is from-study)",
                "the ImagingStudy may reach the FHIR server later; move this file back to the inbox once it has");
    }

    /** What a document with nothing to map holds instead: the root's items, each with how much lies below it. */
    private static String holdings(ContentItem.Container root) {
        if (root.children().isEmpty()) {
            return "no content items under its root";
        }
        List<String> items = new ArrayList<>();
        for (ContentItem child : root.children()) {
            String name = child.conceptName() == null ? "an unnamed item" : child.conceptName().meaning();
            int below = child.children().size();
            items.add(name + " (" + child.valueType() + (child.valueType() == ValueType.CONTAINER
                    ? below == 0 ? ", empty" : ", " + below + " item" + (below == 1 ? "" : "s") : "") + ")");
        }
        return String.join(", ", items);
    }

    public GroupResources mapGroup(ReportContext context, MeasurementGroup group) {
        return groups.map(context, group);
    }

    /** The whole report in one transaction Bundle; the result does not depend on the order of {@code groups}. */
    public Bundle assemble(ReportContext context, List<GroupResources> groups) {
        List<List<MappedEntry>> chunks = chunks(context, groups);
        return bundle(context, chunks.stream().flatMap(List::stream).toList(), Map.of());
    }

    /**
     * Decision D6: the report in several transaction Bundles of at most {@code maxEntriesPerBundle} entries
     * (a group is never split; a larger group gets a Bundle of its own), to be posted in order. References to
     * resources of an earlier Bundle use their committed form (Type/id, or a conditional reference).
     */
    public List<Bundle> assembleParts(ReportContext context, List<GroupResources> groups) {
        return assembleParts(context, groups, settings.maxEntriesPerBundle());
    }

    /** As {@link #assembleParts(ReportContext, List)} with the limit of the server at hand (decision D42); 0 = one Bundle. */
    public List<Bundle> assembleParts(ReportContext context, List<GroupResources> groups, int max) {
        if (max <= 0) {
            return List.of(assemble(context, groups));
        }
        List<List<MappedEntry>> chunks = chunks(context, groups);
        Map<String, String> external = new HashMap<>();
        chunks.forEach(c -> c.forEach(e -> external.put(e.fullUrl(), e.externalReference())));
        List<List<MappedEntry>> parts = new ArrayList<>();
        List<MappedEntry> current = new ArrayList<>();
        for (List<MappedEntry> chunk : chunks) {
            if (!current.isEmpty() && current.size() + chunk.size() > max) {
                parts.add(current);
                current = new ArrayList<>();
            }
            current.addAll(chunk);
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts.stream().map(p -> bundle(context, p, external)).toList();
    }

    /** The whole mapping of one report, as the route does it, in one call. */
    public Bundle convert(MeasurementReport report) throws InputRejectedException {
        ReportContext context = context(report);
        return assemble(context, report.measurementGroups().stream().map(g -> mapGroup(context, g)).toList());
    }

    /**
     * The entries in Bundle order, in chunks that must stay together: report-level resources, each group sorted by
     * position, derived / root-level resources, the DiagnosticReport. A resource several groups share (algorithm
     * Device, tracked BodyStructure) is kept at its first place only.
     */
    private List<List<MappedEntry>> chunks(ReportContext context, List<GroupResources> groups) {
        List<GroupResources> sorted = groups.stream().sorted(Comparator.comparingInt(GroupResources::position)).toList();
        List<List<MappedEntry>> chunks = new ArrayList<>();
        chunks.add(context.leadingEntries());
        sorted.forEach(g -> chunks.add(g.entries()));
        chunks.add(context.trailingEntries());
        if (settings.diagnosticReport()) {
            List<String> results = new ArrayList<>();
            sorted.forEach(g -> results.add(g.groupFullUrl()));
            results.addAll(context.trailingResults());
            chunks.add(List.of(reports.report(context, results)));
        }
        Set<String> seen = new java.util.HashSet<>();
        List<List<MappedEntry>> unique = new ArrayList<>();
        for (List<MappedEntry> chunk : chunks) {
            List<MappedEntry> kept = chunk.stream().filter(e -> seen.add(e.fullUrl())).toList();
            if (!kept.isEmpty()) {
                unique.add(kept);
            }
        }
        return unique;
    }

    private Bundle bundle(ReportContext context, List<MappedEntry> entries, Map<String, String> external) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.setIdentifier(new Identifier().setSystem(Profiles.DICOM_UID).setValue(Profiles.oid(context.sopInstanceUid())));
        Set<String> here = new java.util.HashSet<>();
        entries.forEach(e -> here.add(e.fullUrl()));
        for (MappedEntry entry : entries) {
            Bundle.BundleEntryComponent component = entry.toEntry();
            if (!external.isEmpty()) {
                for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(component.getResource(),
                        Reference.class)) {
                    String target = reference.getReference();
                    if (target != null && !here.contains(target) && external.containsKey(target)) {
                        reference.setReference(external.get(target));
                    }
                }
            }
            bundle.addEntry(component);
        }
        return bundle;
    }

    /** TID 1420: each derived NUM, with its source groups mapped as groups of their own (ig-digest §5 step 8). */
    private void mapDerived(ReportContext context, MeasurementReport report, List<MappedEntry> out,
                            List<String> results) {
        for (DerivedMeasurement derived : report.derivedMeasurements()) {
            Observation observation = observations.measurement(context, derived.measurement(), true);
            for (MeasurementGroup source : derived.sourceGroups()) {
                GroupResources mapped = groups.map(context, source);
                out.addAll(mapped.entries());
                observation.addDerivedFrom(new Reference(mapped.groupFullUrl()));
            }
            if (derived.measurement().observationUid() != null) {
                MappedEntry item = selections.sourceItem(context,
                        derived.measurement().observationUid(), derived.measurement().path());
                out.add(item);
                observation.addDerivedFrom(new Reference(item.fullUrl()));
            }
            observation.setDevice(groups.device(context, out, true, derived.measurement().algorithm(),
                    derived.containerAlgorithm(), report.imagingMeasurementsAlgorithm()));
            observations.context(observation, report.timePoint());
            MappedEntry entry = context.entries().entry(observation, ObservationMapper.DERIVED_ROLE,
                    derived.measurement().path());
            out.add(entry);
            results.add(entry.fullUrl());
        }
    }

    /** TID 1500 row 12: root-level qualitative evaluations (ig-digest §5 step 9). */
    private void mapRootEvaluations(ReportContext context, MeasurementReport report, List<MappedEntry> out,
                                    List<String> results) {
        for (QualitativeEvaluation evaluation : report.qualitativeEvaluations()) {
            Observation observation = observations.evaluation(context, evaluation);
            // D24, D25: its own sites and regions, as for an evaluation in a group
            groups.member(context, null, observation, evaluation.findingSites(), evaluation.regions(),
                    evaluation.path(), o -> { }, null, List.of(), out);
            if (evaluation.observationUid() != null) {
                MappedEntry item = selections.sourceItem(context, evaluation.observationUid(),
                        evaluation.path());
                out.add(item);
                observation.addDerivedFrom(new Reference(item.fullUrl()));
            }
            observation.setDevice(groups.device(context, out, false, evaluation.algorithm(),
                    report.qualitativeEvaluationsAlgorithm()));
            observations.context(observation, report.timePoint());
            MappedEntry entry = context.entries().entry(observation, ObservationMapper.EVALUATION_ROLE, evaluation.path());
            out.add(entry);
            results.add(entry.fullUrl());
        }
    }

    /**
     * Decision D3: a conditional reference carrying the typed identifier; with create-missing also a conditional
     * create of a minimal resource, referenced by its urn:uuid.
     */
    private Reference link(List<MappedEntry> leading, String type, String search, Identifier identifier,
                           java.util.function.Supplier<Resource> minimal, Reference subject) {
        String conditional = type + "?" + search;
        Reference reference = new Reference(conditional).setIdentifier(identifier.copy());
        if (!settings.createMissing()) {
            return reference;
        }
        Resource resource = minimal.get();
        if (subject != null && resource instanceof ImagingStudy s) {
            s.setSubject(subject.copy());
        } else if (subject != null && resource instanceof ServiceRequest r) {
            r.setSubject(subject.copy());
        }
        String fullUrl = "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(conditional.getBytes(StandardCharsets.UTF_8));
        leading.add(new MappedEntry(resource, fullUrl, conditional, Bundle.HTTPVerb.POST, type, search));
        return new Reference(fullUrl).setIdentifier(identifier.copy());
    }

    private static Resource minimalPatient(SrDocumentHeader header, Identifier identifier) {
        Patient patient = new Patient();
        patient.addIdentifier(identifier.copy());
        SrDocumentHeader.Patient p = header.patient();
        if (p.name() != null && !p.name().isEmpty()) {
            List<String> parts = PersonName.components(p.name().preferredGroup());
            HumanName name = patient.addName();
            if (!parts.get(0).isEmpty()) {
                name.setFamily(parts.get(0));
            }
            if (!parts.get(1).isEmpty()) {
                name.addGiven(parts.get(1));
            }
        }
        if (p.sex() != null) {
            patient.setGender(switch (p.sex().trim()) {
                case "M" -> Enumerations.AdministrativeGender.MALE;
                case "F" -> Enumerations.AdministrativeGender.FEMALE;
                case "O" -> Enumerations.AdministrativeGender.OTHER;
                default -> Enumerations.AdministrativeGender.UNKNOWN;
            });
        }
        if (p.birthDate() != null && p.birthDate().trim().matches("\\d{8}")) {
            String d = p.birthDate().trim();
            patient.setBirthDateElement(new org.hl7.fhir.r5.model.DateType(
                    d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6, 8)));
        }
        return patient;
    }

    /** Decision D4: Issuer of Patient ID Qualifiers UEI (ISO → urn:oid:, URI as is), else the table, else default. */
    private Identifier patientIdentifier(SrDocumentHeader.Patient patient) {
        String system = issuerSystem(patient.issuerQualifiers(), null);
        if (system == null && patient.issuerOfPatientId() != null) {
            system = settings.issuerSystems().get(patient.issuerOfPatientId().trim());
        }
        Identifier identifier = new Identifier().setSystem(system != null ? system : settings.defaultPatientSystem())
                .setValue(patient.patientId().trim());
        String assigner = patient.issuerQualifiers() != null && patient.issuerQualifiers().localNamespaceEntityId() != null
                ? patient.issuerQualifiers().localNamespaceEntityId() : patient.issuerOfPatientId();
        if (assigner != null && !assigner.isBlank()) {
            identifier.setAssigner(new Reference().setDisplay(assigner));
        }
        return identifier;
    }

    private static String issuerSystem(SrDocumentHeader.Issuer issuer, String fallback) {
        if (issuer != null && issuer.universalEntityId() != null && !issuer.universalEntityId().isBlank()) {
            String type = issuer.universalEntityIdType() == null ? "" : issuer.universalEntityIdType().trim();
            if ("ISO".equals(type)) {
                return "urn:oid:" + issuer.universalEntityId().trim();
            }
            // an Identifier.system must be an absolute URI: a scheme-less "URI" (e.g. "test-hospital.org") is not one
            if (("URI".equals(type) || "URL".equals(type)) && issuer.universalEntityId().trim().matches("[A-Za-z][A-Za-z0-9+.-]*:.+")) {
                return issuer.universalEntityId().trim();
            }
        }
        return fallback;
    }

    /** A token search value system|value with query-reserved characters escaped. */
    private static String token(String system, String value) {
        return escape(system) + "|" + escape(value);
    }

    private static String escape(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%3A", ":").replace("%2F", "/");
    }

    /** Decision D7. */
    private static String status(SrDocumentHeader header) {
        if (header.preliminaryFlag() != null && !header.preliminaryFlag().isBlank()) {
            String flag = header.preliminaryFlag().trim().toLowerCase(java.util.Locale.ROOT);
            if (flag.equals("preliminary") || flag.equals("final")) {
                return flag;
            }
        }
        return "VERIFIED".equals(trim(header.verificationFlag())) || "COMPLETE".equals(trim(header.completionFlag()))
                ? "final" : "preliminary";
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static boolean sameDevice(SrDocumentHeader.Participant participant, SrDocumentHeader header) {
        return participant.deviceUid() != null && header.equipment() != null
                && participant.deviceUid().equals(header.equipment().deviceUid());
    }

    /** Referenced SOP Instance UID → {study, series}, from (0040,A375) and (0040,A385). */
    private static Map<String, String[]> evidence(SrDocumentHeader header) {
        Map<String, String[]> map = new LinkedHashMap<>();
        List<SrDocumentHeader.EvidenceStudy> all = new ArrayList<>(header.currentRequestedProcedureEvidence());
        all.addAll(header.pertinentOtherEvidence());
        for (SrDocumentHeader.EvidenceStudy study : all) {
            for (SrDocumentHeader.EvidenceSeries series : study.series()) {
                for (ReferencedSop sop : series.instances()) {
                    if (sop.sopInstanceUid() != null) {
                        map.putIfAbsent(sop.sopInstanceUid(),
                                new String[]{study.studyInstanceUid(), series.seriesInstanceUid()});
                    }
                }
            }
        }
        return map;
    }
}
