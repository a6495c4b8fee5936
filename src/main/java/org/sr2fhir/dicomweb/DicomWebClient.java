package org.sr2fhir.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.config.DicomWebProperties.FetchMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOMweb knowledge the source needs, without an HTTP stack of its own: the resources and query parameters of
 * QIDO-RS instance search with paging (PS3.18 10.6) and of WADO-RS retrieval of one instance as Part 10 or as DICOM
 * JSON metadata (PS3.18 10.4), the Accept types, and reading the answers (DICOM JSON results, multipart/related).
 * The GET requests themselves go through a {@link Transport} (Camel's HTTP component in the application). Never
 * asks for anything that changes the archive. Thread-safe.
 */
public final class DicomWebClient {
    private static final Logger LOG = LoggerFactory.getLogger(DicomWebClient.class);
    static final String DICOM_JSON = "application/dicom+json";
    /** Any transfer syntax: the reader handles every uncompressed one and deflate, so nothing is transcoded. */
    static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String STUDY_INSTANCE_UID = "0020000D";
    private static final String SERIES_INSTANCE_UID = "0020000E";
    private static final String SOP_INSTANCE_UID = "00080018";
    private static final String SOP_CLASS_UID = "00080016";

    /** Sends one GET for {@code resource}: what follows the DICOMweb base URL, as written, in the request URL. */
    @FunctionalInterface
    public interface Transport {
        /**
         * @return the answer of a 2xx status
         * @throws DicomWebException with the status when the archive answered another one
         * @throws IOException       when the archive cannot be reached
         */
        Response get(String resource, String accept) throws IOException;
    }

    /** A successful answer: its status, Content-Type (may be null) and body (empty for 204). */
    public record Response(int status, String contentType, byte[] body) {
    }

    /** One WADO-RS request: the resource below the base URL, the Accept header and the representation asked for. */
    public record Retrieval(String resource, String accept, FetchMode mode) {
    }

    private final DicomWebProperties settings;
    private final Transport transport;
    /** Between the base URL and a resource path: none when the URL is written with a trailing slash. */
    private final String slash;
    private final ObjectMapper json = new ObjectMapper();

    public DicomWebClient(DicomWebProperties settings, Transport transport) {
        this.settings = settings;
        this.transport = transport;
        this.slash = settings.url() != null && settings.url().toString().endsWith("/") ? "" : "/";
    }

    /**
     * Lists every SR instance of one SOP class, page by page ({@code limit}/{@code offset}), optionally only in
     * studies dated {@code studyDateFrom} or later. Instances are returned once each, in the archive's order.
     */
    public List<InstanceRef> searchInstances(String sopClassUid, LocalDate studyDateFrom) throws IOException {
        Map<String, InstanceRef> found = new LinkedHashMap<>();
        int limit = settings.pageSize();
        for (int offset = 0; ; offset += limit) {
            StringBuilder query = new StringBuilder(slash).append("instances?Modality=SR&SOPClassUID=").append(encode(sopClassUid));
            if (studyDateFrom != null) {
                // PS3.18 8.3.4.1 range matching: "date-" = on or after date
                query.append("&StudyDate=").append(studyDateFrom.format(DateTimeFormatter.BASIC_ISO_DATE)).append('-');
            }
            query.append("&limit=").append(limit).append("&offset=").append(offset);
            List<InstanceRef> page = readSearchResults(transport.get(query.toString(), DICOM_JSON), query.toString());
            int before = found.size();
            page.forEach(ref -> found.putIfAbsent(ref.sopInstanceUid(), ref));
            if (page.size() < limit) {
                return new ArrayList<>(found.values());
            }
            if (found.size() == before) {
                // a server that ignores offset would otherwise be asked for the same page forever
                LOG.warn("QIDO-RS page at offset {} of {} brought no new instance; stopping the listing here",
                        offset, sopClassUid);
                return new ArrayList<>(found.values());
            }
        }
    }

    /**
     * The WADO-RS request for one instance in the configured fetch-mode: the instance itself (PS3.18 10.4.1.1.3,
     * multipart/related application/dicom) or its metadata (PS3.18 10.4.1.1.2, application/dicom+json).
     */
    public Retrieval retrieval(InstanceRef ref) {
        String instance = slash + "studies/" + encode(ref.studyInstanceUid()) + "/series/" + encode(ref.seriesInstanceUid())
                + "/instances/" + encode(ref.sopInstanceUid());
        return switch (settings.fetchMode()) {
            case PART10 -> new Retrieval(instance, MULTIPART_DICOM, FetchMode.PART10);
            case JSON -> new Retrieval(instance + "/metadata", DICOM_JSON, FetchMode.JSON);
        };
    }

    /**
     * Reads the answer to {@code retrieval} into what the reader takes: the Part 10 bytes of the first
     * application/dicom part (unpacked with {@link MultipartRelated}), or the one DICOM JSON object (PS3.18 F.2).
     *
     * @throws DicomWebException when the answer does not hold what was asked for
     */
    public byte[] unpack(Retrieval retrieval, String contentType, InputStream body) throws IOException {
        return switch (retrieval.mode()) {
            case PART10 -> {
                for (MultipartRelated.Part part : MultipartRelated.parse(body, contentType)) {
                    if ("application/dicom".equals(part.mediaType())) {
                        yield part.content();
                    }
                }
                throw new DicomWebException("WADO-RS " + retrieval.resource() + " returned no application/dicom part", 0);
            }
            case JSON -> {
                JsonNode array = json.readTree(body);
                // the response is an array of the instances addressed; this URL addresses exactly one
                if (array == null || !array.isArray() || array.size() != 1 || !array.get(0).isObject()) {
                    throw new DicomWebException("WADO-RS " + retrieval.resource()
                            + " did not return one DICOM JSON object", 0);
                }
                yield json.writeValueAsBytes(array.get(0));
            }
        };
    }

    private List<InstanceRef> readSearchResults(Response response, String query) throws IOException {
        if (response.status() == 204 || response.body().length == 0) {
            return List.of(); // PS3.18 10.6.3.2: no matches
        }
        JsonNode results = json.readTree(response.body());
        if (results == null || results.isMissingNode()) {
            return List.of();
        }
        if (!results.isArray()) {
            throw new DicomWebException("QIDO-RS " + query + " did not return a DICOM JSON array", 0);
        }
        List<InstanceRef> refs = new ArrayList<>(results.size());
        for (JsonNode result : results) {
            InstanceRef ref = new InstanceRef(firstValue(result, STUDY_INSTANCE_UID),
                    firstValue(result, SERIES_INSTANCE_UID), firstValue(result, SOP_INSTANCE_UID),
                    firstValue(result, SOP_CLASS_UID));
            if (ref.studyInstanceUid() == null || ref.seriesInstanceUid() == null || ref.sopInstanceUid() == null) {
                LOG.warn("QIDO-RS {} returned a match without Study/Series/SOP Instance UID; skipped", query);
            } else {
                refs.add(ref);
            }
        }
        return refs;
    }

    private static String firstValue(JsonNode result, String tag) {
        JsonNode value = result.path(tag).path("Value").path(0);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
