package org.sr2fhir.conversion;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Resource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.sr.CodedConcept;
import org.sr2fhir.tid1500.Deviation;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.NotMappedItem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decision D34: what became of one SR. Converted: how many resources of each type (and of each IG profile) its
 * Bundle holds; refused: why. Either way, every content item that was not mapped (path, concept, value type, how many
 * items below it, why) and every deviation from TID 1500 that was tolerated. One line for the log ({@link #summary()}),
 * JSON for machines ({@link #toJson()}). Names files, UIDs and codes, never patient data (decision D21).
 *
 * @param sopInstanceUid null when the input could not be read far enough to know it
 * @param reason         the refusal's reason, null when converted
 * @param retryHint      for a refusal the same input may overcome later (D26), what to do; else null
 * @param resources      resource type → count in the Bundle (empty when refused)
 * @param profiles       IG profile (last path segment of its canonical URL) → count (empty when refused)
 */
public record ConversionReport(String source, String sopInstanceUid, Status status, String reason, String retryHint,
                               Map<String, Integer> resources, Map<String, Integer> profiles,
                               List<NotMappedItem> notMapped, List<Deviation> deviations) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SRT = "http://snomed.info/srt";
    private static final String SCT = "http://snomed.info/sct";
    /** How many not-mapped concepts the one-line summary names. */
    private static final int SUMMARY_ITEMS = 8;

    /** Converted, or refused (the input goes to the error folder with the reason). */
    public enum Status { CONVERTED, REJECTED }

    public ConversionReport {
        resources = Map.copyOf(resources);
        profiles = Map.copyOf(profiles);
        notMapped = List.copyOf(notMapped);
        deviations = List.copyOf(deviations);
    }

    /** The report of a converted SR: its model's notes and what its Bundle (all parts) holds. */
    public static ConversionReport converted(MeasurementReport report, List<Bundle> parts) {
        Map<String, Integer> resources = new TreeMap<>();
        Map<String, Integer> profiles = new TreeMap<>();
        List<Deviation> deviations = new ArrayList<>(report.deviations());
        Set<String> untranslated = new LinkedHashSet<>();
        for (Bundle part : parts) {
            for (Bundle.BundleEntryComponent entry : part.getEntry()) {
                Resource resource = entry.getResource();
                resources.merge(resource.fhirType(), 1, Integer::sum);
                resource.getMeta().getProfile().forEach(p -> profiles.merge(
                        p.getValue().substring(p.getValue().lastIndexOf('/') + 1), 1, Integer::sum));
                untranslatedLegacyCodes(resource, untranslated);
            }
        }
        // decision D27: an SRT code the translation table does not know reaches FHIR with its SRT coding only
        untranslated.forEach(code -> deviations.add(new Deviation(null, "legacy SRT code " + code
                + " has no SNOMED CT translation in the D12 table: written with the SRT system only", "D27")));
        return new ConversionReport(report.document().source(), report.sopInstanceUid(), Status.CONVERTED, null,
                null, resources, profiles, report.notMapped(), deviations);
    }

    /**
     * The report of a refused input; {@code report} is its model when it was read that far (then its notes are kept),
     * else null.
     */
    public static ConversionReport rejected(MeasurementReport report, InputRejectedException refusal) {
        String sopInstanceUid = refusal.sopInstanceUid() != null ? refusal.sopInstanceUid()
                : report == null ? null : report.sopInstanceUid();
        return new ConversionReport(refusal.source(), sopInstanceUid, Status.REJECTED, refusal.reason(),
                refusal.retryHint(), Map.of(), Map.of(), report == null ? List.of() : report.notMapped(),
                report == null ? List.of() : report.deviations());
    }

    /**
     * One line: "x.dcm (SR 1.2.3): converted, 9 resources (Observation 4, ...); 2 content items not mapped: Short
     * label, Color; 1 deviation tolerated: D23", or "x.dcm (SR 1.2.3): rejected: reason; ...".
     */
    public String summary() {
        StringBuilder line = new StringBuilder(source == null ? "input" : source);
        if (sopInstanceUid != null) {
            line.append(" (SR ").append(sopInstanceUid).append(')');
        }
        if (status == Status.CONVERTED) {
            int total = resources.values().stream().mapToInt(Integer::intValue).sum();
            line.append(": converted, ").append(total).append(" resources (");
            Map<String, Integer> sorted = new TreeMap<>(resources);
            List<String> counts = new ArrayList<>();
            sorted.forEach((type, n) -> counts.add(type + " " + n));
            line.append(String.join(", ", counts)).append(')');
        } else {
            line.append(": rejected: ").append(reason);
        }
        if (!notMapped.isEmpty()) {
            Set<String> concepts = new LinkedHashSet<>();
            notMapped.forEach(item -> concepts.add(item.concept() == null ? "(unnamed " + item.valueType() + ")"
                    : item.concept().meaning()));
            List<String> named = new ArrayList<>(concepts).subList(0, Math.min(SUMMARY_ITEMS, concepts.size()));
            line.append("; ").append(notMapped.size()).append(" content item").append(notMapped.size() == 1 ? "" : "s")
                    .append(" not mapped: ").append(String.join(", ", named))
                    .append(concepts.size() > SUMMARY_ITEMS ? ", ..." : "");
        }
        if (!deviations.isEmpty()) {
            Set<String> decisions = new LinkedHashSet<>();
            deviations.forEach(d -> decisions.add(d.decision() == null ? "reader" : d.decision()));
            line.append("; ").append(deviations.size()).append(" deviation").append(deviations.size() == 1 ? "" : "s")
                    .append(" tolerated: ").append(String.join(", ", decisions));
        }
        return line.toString();
    }

    /** The machine-readable form (README "The conversion report"); field order is stable. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("source", source);
        json.put("sopInstanceUid", sopInstanceUid);
        json.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        if (status == Status.REJECTED) {
            json.put("reason", reason);
            json.put("retryable", retryHint != null);
            if (retryHint != null) {
                json.put("retryHint", retryHint);
            }
        } else {
            json.put("resources", new TreeMap<>(resources));
            json.put("profiles", new TreeMap<>(profiles));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (NotMappedItem item : notMapped) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", item.path());
            entry.put("concept", concept(item.concept()));
            entry.put("valueType", item.valueType() == null ? null : item.valueType().name());
            entry.put("itemsBelow", item.descendants());
            entry.put("reason", item.reason());
            items.add(entry);
        }
        json.put("notMapped", items);
        List<Map<String, Object>> tolerated = new ArrayList<>();
        for (Deviation deviation : deviations) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", deviation.path());
            entry.put("deviation", deviation.description());
            entry.put("decision", deviation.decision());
            tolerated.add(entry);
        }
        json.put("deviations", tolerated);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }

    private static Map<String, Object> concept(CodedConcept concept) {
        if (concept == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("code", concept.code());
        json.put("scheme", concept.designator());
        json.put("meaning", concept.meaning());
        return json;
    }

    private static void untranslatedLegacyCodes(Resource resource, Set<String> out) {
        for (CodeableConcept concept : FhirContext.forR5Cached().newTerser()
                .getAllPopulatedChildElementsOfType(resource, CodeableConcept.class)) {
            boolean translated = concept.getCoding().stream().anyMatch(c -> SCT.equals(c.getSystem()));
            for (Coding coding : concept.getCoding()) {
                if (!translated && SRT.equals(coding.getSystem())) {
                    out.add(coding.getCode() + " (\"" + coding.getDisplay() + "\")");
                }
            }
        }
    }
}
