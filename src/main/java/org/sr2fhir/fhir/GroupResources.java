package org.sr2fhir.fhir;

import java.util.List;

/**
 * The FHIR resources mapped from one measurement group, self-contained so that each group can travel in its own
 * exchange: the group Observation, its members, selections, BodyStructures and algorithm Devices. The assembly
 * sorts groups by {@link #position()} (decision D6) and removes Devices/BodyStructures that several groups share.
 */
public final class GroupResources {
    private final int position;
    private final String groupFullUrl;
    private final List<MappedEntry> entries;

    GroupResources(int position, String groupFullUrl, List<MappedEntry> entries) {
        this.position = position;
        this.groupFullUrl = groupFullUrl;
        this.entries = List.copyOf(entries);
    }

    /** The group's index in the report (document order). */
    public int position() {
        return position;
    }

    /** How many Bundle entries this group needs at most. */
    public int size() {
        return entries.size();
    }

    String groupFullUrl() {
        return groupFullUrl;
    }

    List<MappedEntry> entries() {
        return entries;
    }
}
