package org.sr2fhir.dicomweb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.tid1500.SopClass;

/**
 * A small in-test DICOMweb archive on the JDK HTTP server (127.0.0.1, free port): QIDO-RS /instances with
 * SOPClassUID, Modality, limit and offset; WADO-RS instance (multipart/related) and metadata. It records every
 * request, and can be switched "down" (HTTP 503) to play an outage.
 */
final class FakeDicomWebArchive implements AutoCloseable {
    static final String BOUNDARY = "DICOMwebBoundary-7d3a";

    record Stored(InstanceRef ref, byte[] part10) {
    }

    private final HttpServer server;
    private final Map<String, Stored> instances = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> accepts = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean down;
    private volatile boolean ignoreOffset;

    FakeDicomWebArchive() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dicom-web/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web");
    }

    /** Source settings pointing at this archive; everything else as the documented defaults. */
    DicomWebProperties settings(int pageSize, Path checkpoint, DicomWebProperties.FetchMode mode,
                                DicomWebProperties.Auth auth) {
        return new DicomWebProperties(true, url(), auth, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofSeconds(2), pageSize,
                List.of(SopClass.ENHANCED_SR, SopClass.COMPREHENSIVE_SR,
                        SopClass.COMPREHENSIVE_3D_SR), mode, null, checkpoint, 3);
    }

    static DicomWebProperties.Auth noAuth() {
        return new DicomWebProperties.Auth(DicomWebProperties.AuthType.NONE, null, null, null);
    }

    InstanceRef add(String sopClassUid, String sopInstanceUid) {
        return add(sopClassUid, sopInstanceUid, ("part10-of-" + sopInstanceUid).getBytes(StandardCharsets.US_ASCII));
    }

    /** An instance whose WADO-RS answer is {@code part10} (e.g. a corpus file, when the reader must read it). */
    InstanceRef add(String sopClassUid, String sopInstanceUid, byte[] part10) {
        return add(new InstanceRef("1.2.3.100", "1.2.3.100.1", sopInstanceUid, sopClassUid), part10);
    }

    /** An instance of its own study {@code studyInstanceUid}; the others are all of study 1.2.3.100. */
    InstanceRef addToStudy(String sopClassUid, String studyInstanceUid, String sopInstanceUid) {
        return add(new InstanceRef(studyInstanceUid, studyInstanceUid + ".1", sopInstanceUid, sopClassUid),
                ("part10-of-" + sopInstanceUid).getBytes(StandardCharsets.US_ASCII));
    }

    private InstanceRef add(InstanceRef ref, byte[] part10) {
        instances.put(ref.sopInstanceUid(), new Stored(ref, part10));
        return ref;
    }

    void setDown(boolean down) {
        this.down = down;
    }

    void setIgnoreOffset(boolean ignoreOffset) {
        this.ignoreOffset = ignoreOffset;
    }

    List<String> requests() {
        return requests;
    }

    List<String> authorizations() {
        return authorizations;
    }

    /** The Accept header of every request, in order. */
    List<String> accepts() {
        return accepts;
    }

    /** The WADO-RS instance fetches made so far, as SOP Instance UIDs. */
    List<String> fetchedSopInstanceUids() {
        return requests.stream().filter(r -> r.contains("/instances/") && !r.contains("?"))
                .map(r -> r.replaceAll(".*/instances/([^/]+).*", "$1")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String uri = exchange.getRequestURI().toString();
        requests.add(uri);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        accepts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                // the source only ever reads from the archive
                send(exchange, 405, "text/plain", new byte[0]);
                return;
            }
            if (down) {
                send(exchange, 503, "text/plain", "archive down".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/dicom-web".length());
            if (path.equals("/instances")) {
                search(exchange, query(exchange.getRequestURI().getRawQuery()));
            } else if (path.matches("/studies/[^/]+/series/[^/]+/instances/[^/]+(/metadata)?")) {
                String[] segments = path.split("/");
                Stored stored = instances.get(segments[6]);
                if (stored == null) {
                    send(exchange, 404, "text/plain", new byte[0]);
                } else if (path.endsWith("/metadata")) {
                    ArrayNode array = json.createArrayNode();
                    array.add(dataset(stored.ref()));
                    send(exchange, 200, "application/dicom+json", json.writeValueAsBytes(array));
                } else {
                    send(exchange, 200, "multipart/related; type=\"application/dicom\"; boundary=\"" + BOUNDARY + "\"",
                            multipart(stored.part10()));
                }
            } else {
                send(exchange, 400, "text/plain", new byte[0]);
            }
        }
    }

    private void search(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<Stored> matches = new ArrayList<>();
        synchronized (instances) {
            for (Stored s : instances.values()) {
                if (s.ref().sopClassUid().equals(query.get("SOPClassUID")) && "SR".equals(query.get("Modality"))) {
                    matches.add(s);
                }
            }
        }
        int offset = ignoreOffset ? 0 : Integer.parseInt(query.getOrDefault("offset", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "1000000"));
        List<Stored> page = matches.subList(Math.min(offset, matches.size()), Math.min(offset + limit, matches.size()));
        if (page.isEmpty()) {
            send(exchange, 204, null, null);
            return;
        }
        ArrayNode array = json.createArrayNode();
        page.forEach(s -> array.add(dataset(s.ref())));
        send(exchange, 200, "application/dicom+json", json.writeValueAsBytes(array));
    }

    private ObjectNode dataset(InstanceRef ref) {
        ObjectNode node = json.createObjectNode();
        element(node, "0020000D", ref.studyInstanceUid());
        element(node, "0020000E", ref.seriesInstanceUid());
        element(node, "00080018", ref.sopInstanceUid());
        element(node, "00080016", ref.sopClassUid());
        node.putObject("00080060").put("vr", "CS").putArray("Value").add("SR");
        return node;
    }

    private static void element(ObjectNode node, String tag, String uid) {
        node.putObject(tag).put("vr", "UI").putArray("Value").add(uid);
    }

    /** A multipart/related body with a preamble, CRLF delimiters and the binary part in the middle. */
    static byte[] multipart(byte[] part10) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(("preamble to be ignored\r\n--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n"
                    + "Content-Length: " + part10.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part10);
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
        if (body != null && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
