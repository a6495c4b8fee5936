package org.sr2fhir.fhirclient;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.ImagingStudy;
import org.hl7.fhir.r5.model.Reference;
import org.sr2fhir.fhir.StudySubjects;

/**
 * Decision D26 over the FHIR client: {@code GET ImagingStudy?identifier=urn:dicom:uid|urn:oid:<Study Instance UID>},
 * and the Patient its subject names. One search per study: a study found is remembered (at most
 * {@value #STUDIES} studies, each for an hour, so a merged or corrected Patient is seen again); a study not found is
 * not remembered, since it may arrive on the server at any time.
 */
public final class ServerStudySubjects implements StudySubjects {
    static final int STUDIES = 10_000;

    private final IGenericClient client;
    private final Cache<String, Found> found = Caffeine.newBuilder().maximumSize(STUDIES)
            .expireAfterWrite(Duration.ofHours(1)).build();

    public ServerStudySubjects(IGenericClient client) {
        this.client = client;
    }

    @Override
    public Answer find(String studyInstanceUid) {
        Found known = found.getIfPresent(studyInstanceUid);
        if (known != null) {
            return known;
        }
        // no-cache: servers such as HAPI answer a repeated search from a cache of results (60 s by default), which
        // would hide a study that arrived since the last time it was not found
        Bundle result = client.search().forResource(ImagingStudy.class)
                .where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier("urn:dicom:uid", "urn:oid:" + studyInstanceUid))
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
        Set<String> subjects = new LinkedHashSet<>();
        for (Bundle.BundleEntryComponent entry : result.getEntry()) {
            if (entry.getResource() instanceof ImagingStudy study) {
                Reference subject = study.getSubject();
                subjects.add(subject.hasReference() ? subject.getReferenceElement().toUnqualifiedVersionless().getValue()
                        : "");
            }
        }
        if (subjects.isEmpty()) {
            return new NoStudy();
        }
        if (subjects.size() > 1) {
            return new Ambiguous(new ArrayList<>(subjects));
        }
        String subject = subjects.iterator().next();
        if (!subject.startsWith("Patient/")) {
            return new NoPatient(subject.isEmpty() ? null : subject);
        }
        Found answer = new Found(subject);
        found.put(studyInstanceUid, answer);
        return answer;
    }
}
