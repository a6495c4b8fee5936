package org.sr2fhir.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sr2fhir.config.DicomWebProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small DICOMweb client for what the source needs: QIDO-RS instance search with paging (PS3.18 10.6) and
 * WADO-RS retrieval of one instance as Part 10 or as DICOM JSON metadata (PS3.18 10.4). Never sends anything
 * that changes the archive. Thread-safe.
 */
public final class DicomWebClient {
    private static final Logger LOG = LoggerFactory.getLogger(DicomWebClient.class);
    private static final String DICOM_JSON = "application/dicom+json";
    /** Any transfer syntax: the reader handles every uncompressed one and deflate, so nothing is transcoded. */
    private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String STUDY_INSTANCE_UID = "0020000D";
    private static final String SERIES_INSTANCE_UID = "0020000E";
    private static final String SOP_INSTANCE_UID = "00080018";
    private static final String SOP_CLASS_UID = "00080016";

    private final String baseUrl;
    private final DicomWebProperties settings;
    private final HttpClient http;
    private final String authorization;
    private final ObjectMapper json = new ObjectMapper();

    public DicomWebClient(DicomWebProperties settings) {
        this.settings = settings;
        String url = settings.url().toString();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.authorization = switch (settings.auth().type()) {
            case NONE -> null;
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString(
                    (settings.auth().username() + ":" + settings.auth().password()).getBytes(StandardCharsets.UTF_8));
            case BEARER -> "Bearer " + settings.auth().token();
        };
    }

    /**
     * Lists every SR instance of one SOP class, page by page ({@code limit}/{@code offset}), optionally only in
     * studies dated {@code studyDateFrom} or later. Instances are returned once each, in the archive's order.
     */
    public List<InstanceRef> searchInstances(String sopClassUid, LocalDate studyDateFrom) throws IOException {
        Map<String, InstanceRef> found = new LinkedHashMap<>();
        int limit = settings.pageSize();
        for (int offset = 0; ; offset += limit) {
            StringBuilder query = new StringBuilder("/instances?Modality=SR&SOPClassUID=")
                    .append(encode(sopClassUid));
            if (studyDateFrom != null) {
                // PS3.18 8.3.4.1 range matching: "date-" = on or after date
                query.append("&StudyDate=").append(studyDateFrom.format(DateTimeFormatter.BASIC_ISO_DATE)).append('-');
            }
            query.append("&limit=").append(limit).append("&offset=").append(offset);
            HttpResponse<InputStream> response = send(query.toString(), DICOM_JSON);
            List<InstanceRef> page = readSearchResults(response, query.toString());
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

    /** Retrieves the Part 10 bytes of one instance (PS3.18 10.4.1.1.3, multipart/related application/dicom). */
    public byte[] retrieveInstance(InstanceRef ref) throws IOException {
        String path = instancePath(ref);
        HttpResponse<InputStream> response = send(path, MULTIPART_DICOM);
        try (InputStream body = response.body()) {
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            for (MultipartRelated.Part part : MultipartRelated.parse(body, contentType)) {
                if ("application/dicom".equals(part.mediaType())) {
                    return part.content();
                }
            }
        }
        throw new DicomWebException("WADO-RS " + path + " returned no application/dicom part", 0);
    }

    /** Retrieves one instance's metadata as a DICOM JSON object (PS3.18 10.4.1.1.2 and F.2). */
    public byte[] retrieveMetadata(InstanceRef ref) throws IOException {
        String path = instancePath(ref) + "/metadata";
        HttpResponse<InputStream> response = send(path, DICOM_JSON);
        JsonNode array;
        try (InputStream body = response.body()) {
            array = json.readTree(body);
        }
        // the response is an array of the instances addressed; this URL addresses exactly one
        if (array == null || !array.isArray() || array.size() != 1 || !array.get(0).isObject()) {
            throw new DicomWebException("WADO-RS " + path + " did not return one DICOM JSON object", 0);
        }
        return json.writeValueAsBytes(array.get(0));
    }

    private static String instancePath(InstanceRef ref) {
        return "/studies/" + encode(ref.studyInstanceUid()) + "/series/" + encode(ref.seriesInstanceUid())
                + "/instances/" + encode(ref.sopInstanceUid());
    }

    private HttpResponse<InputStream> send(String pathAndQuery, String accept) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(settings.readTimeout())
                .header("Accept", accept)
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling the DICOMweb archive", e);
        }
        int status = response.statusCode();
        if (status != 200 && status != 204) {
            response.body().close();
            throw new DicomWebException("DICOMweb GET " + pathAndQuery + " answered HTTP " + status, status);
        }
        return response;
    }

    private List<InstanceRef> readSearchResults(HttpResponse<InputStream> response, String query) throws IOException {
        JsonNode results;
        try (InputStream body = response.body()) {
            if (response.statusCode() == 204) {
                return List.of(); // PS3.18 10.6.3.2: no matches
            }
            results = json.readTree(body);
        }
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
