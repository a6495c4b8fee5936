package org.sr2fhir.fhir;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Reference;
import org.sr2fhir.tid1500.AlgorithmIdentification;
import org.sr2fhir.tid1500.FindingSite;
import org.sr2fhir.tid1500.Measurement;
import org.sr2fhir.tid1500.MeasurementGroup;
import org.sr2fhir.tid1500.QualitativeEvaluation;
import org.sr2fhir.tid1500.RegionReference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * imaging-measurement-group and everything one group yields (ig-digest §5 steps 5–7): its selections,
 * BodyStructure, algorithm Devices and member Observations, which inherit the group's selections, site and
 * device chain.
 */
final class MeasurementGroupMapper {
    private final ObservationMapper observations;
    private final ImagingSelectionMapper selections;
    private final FindingSiteMapper findingSites;
    private final DeviceMapper devices;

    MeasurementGroupMapper(ObservationMapper observations, ImagingSelectionMapper selections,
                           FindingSiteMapper findingSites, DeviceMapper devices) {
        this.observations = observations;
        this.selections = selections;
        this.findingSites = findingSites;
        this.devices = devices;
    }

    GroupResources map(ReportContext context, MeasurementGroup group) {
        List<MappedEntry> out = new ArrayList<>();
        // D10, D24: the group's sites, as a BodyStructure (several sites, modifiers or tracking ids) or a plain bodySite
        Consumer<Observation> site = o -> { };
        CodeableReference selectionSite = null;
        List<FindingSite> sites = group.findingSites();
        if (FindingSiteMapper.needsBodyStructure(sites, group.trackingIdentifier(), group.trackingUid())) {
            MappedEntry body = findingSites.bodyStructure(context, sites, group.trackingIdentifier(),
                    group.trackingUid(), FindingSiteMapper.key(sites, group.trackingIdentifier(),
                            group.trackingUid(), group.path()));
            out.add(body);
            site = o -> o.setBodyStructure(new Reference(body.fullUrl()));
            selectionSite = FindingSiteMapper.asCodeableReference(body.fullUrl());
        } else if (!sites.isEmpty()) {
            CodeableConcept concept = observations.schemes().concept(sites.get(0).site());
            site = o -> o.setBodySite(concept.copy());
            selectionSite = new CodeableReference(concept.copy());
        }
        List<ImagingSelectionMapper.Selection> mapped = selections.selections(context, group, selectionSite, out);

        Observation observation = observations.base(context, Profiles.MEASUREMENT_GROUP, group.observationUid(),
                group.observationDateTime());
        // D10: tracking ids also identify the group Observation
        if (group.trackingIdentifier() != null) {
            observation.addIdentifier(new Identifier().setType(Profiles.dcmConcept("112039", "Tracking Identifier"))
                    .setValue(group.trackingIdentifier()));
        }
        if (group.trackingUid() != null) {
            observation.addIdentifier(new Identifier()
                    .setType(Profiles.dcmConcept("112040", "Tracking Unique Identifier"))
                    .setSystem(Profiles.DICOM_UID).setValue(Profiles.oid(group.trackingUid())));
        }
        observation.addCategory(Profiles.dcmConcept("125007", "Measurement Group"));
        observation.setCode(group.findingCategory() != null ? observations.schemes().concept(group.findingCategory())
                : Profiles.dcmConcept("125007", "Measurement Group"));
        if (group.finding() != null) {
            observation.setValue(observations.schemes().concept(group.finding()));
        }
        if (group.method() != null) {
            observation.setMethod(observations.schemes().concept(group.method()));
        }
        site.accept(observation);
        mapped.forEach(s -> observation.addDerivedFrom(new Reference(s.entry().fullUrl())));
        sourceItem(context, observation, group.observationUid(), group.path(), out);
        observation.setDevice(device(context, out, false, group.algorithm(), group.containerAlgorithm()));
        observations.context(observation, group.context());

        List<MappedEntry> members = new ArrayList<>();
        for (Measurement measurement : group.measurements()) {
            Observation member = observations.measurement(context, measurement, false);
            if (member.getMethod().isEmpty() && group.method() != null) {
                member.setMethod(observations.schemes().concept(group.method()));
            }
            member(context, group.sourceSeriesForSegmentation(), member, measurement.findingSites(),
                    measurement.regions(), measurement.path(), site, selectionSite, mapped, out);
            sourceItem(context, member, measurement.observationUid(), measurement.path(), out);
            member.setDevice(device(context, out, false, measurement.algorithm(), group.algorithm(),
                    group.containerAlgorithm()));
            members.add(context.entries().entry(member, ObservationMapper.MEASUREMENT_ROLE, measurement.path()));
        }
        for (QualitativeEvaluation evaluation : group.qualitativeEvaluations()) {
            Observation member = observations.evaluation(context, evaluation);
            member(context, group.sourceSeriesForSegmentation(), member, evaluation.findingSites(),
                    evaluation.regions(), evaluation.path(), site, selectionSite, mapped, out);
            sourceItem(context, member, evaluation.observationUid(), evaluation.path(), out);
            member.setDevice(device(context, out, false, evaluation.algorithm(), group.algorithm(),
                    group.containerAlgorithm()));
            members.add(context.entries().entry(member, ObservationMapper.EVALUATION_ROLE, evaluation.path()));
        }
        members.forEach(m -> observation.addHasMember(new Reference(m.fullUrl())));
        MappedEntry groupEntry = context.entries().entry(observation, ObservationMapper.GROUP_ROLE, group.path());
        out.add(groupEntry);
        out.addAll(members);
        return new GroupResources(group.position(), groupEntry.fullUrl(), out);
    }

    /**
     * What a measurement or qualitative evaluation takes from its group, or has of its own: the finding sites (its own
     * replace the group's, D10, D24) and the selections (its own regions replace the group's of the same kind, since
     * the derivedFrom slices allow one per kind; an evaluation's regions as a measurement's, D25). A root-level
     * evaluation has no group: {@code groupSite} does nothing and {@code groupSelections} is empty.
     */
    void member(ReportContext context, String sourceSeries, Observation member, List<FindingSite> ownSites,
                List<RegionReference> ownRegions, String path, Consumer<Observation> groupSite,
                CodeableReference selectionSite, List<ImagingSelectionMapper.Selection> groupSelections,
                List<MappedEntry> out) {
        if (ownSites.isEmpty()) {
            groupSite.accept(member);
        } else if (FindingSiteMapper.needsBodyStructure(ownSites, null, null)) {
            MappedEntry body = findingSites.bodyStructure(context, ownSites, null, null,
                    FindingSiteMapper.key(ownSites, null, null, path));
            out.add(body);
            member.setBodyStructure(new Reference(body.fullUrl()));
        } else {
            member.setBodySite(observations.schemes().concept(ownSites.get(0).site()));
        }
        List<ImagingSelectionMapper.Selection> own = selections.selections(context, sourceSeries, ownRegions,
                selectionSite, out);
        groupSelections.stream().filter(s -> own.stream().noneMatch(o -> o.kind() == s.kind()))
                .forEach(s -> member.addDerivedFrom(new Reference(s.entry().fullUrl())));
        own.forEach(s -> member.addDerivedFrom(new Reference(s.entry().fullUrl())));
    }

    /** derivedFrom:sourceSRContentItem (#17) for an item that has an Observation UID. */
    private void sourceItem(ReportContext context, Observation observation, String observationUid, String path,
                            List<MappedEntry> out) {
        if (observationUid != null) {
            MappedEntry item = selections.sourceItem(context, observationUid, path);
            out.add(item);
            observation.addDerivedFrom(new Reference(item.fullUrl()));
        }
    }

    /**
     * Decision D9: the first TID 4019 of the chain (item, group, container), then the participant device (not for
     * derived measurements), then the equipment. The algorithm Device travels with the group (deduplicated by id).
     */
    Reference device(ReportContext context, List<MappedEntry> out, boolean derived,
                     AlgorithmIdentification... chain) {
        for (AlgorithmIdentification algorithm : chain) {
            if (algorithm != null) {
                MappedEntry device = devices.algorithm(context.entries(), algorithm, context.equipmentReference());
                if (out.stream().noneMatch(e -> e.fullUrl().equals(device.fullUrl()))) {
                    out.add(device);
                }
                return new Reference(device.fullUrl());
            }
        }
        if (!derived && context.participantDeviceReference() != null) {
            return new Reference(context.participantDeviceReference());
        }
        return new Reference(context.equipmentReference());
    }

}
