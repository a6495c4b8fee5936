package org.sr2fhir.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

/**
 * Reads a WADO-RS {@code multipart/related} response body (PS3.18 8.7.3.5.2, RFC 2387) into its parts with
 * Apache mime4j. DICOM parts are binary, so line and header limits meant for mail are lifted and a part's bytes
 * are taken undecoded.
 */
public final class MultipartRelated {

    /** One body part: its own Content-Type (without parameters, lower case) and its bytes. */
    public record Part(String mediaType, byte[] content) {
    }

    private static final MimeConfig CONFIG = new MimeConfig.Builder()
            .setMaxLineLen(-1)
            .setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1)
            .setStrictParsing(false)
            .build();

    private MultipartRelated() {
    }

    /**
     * Parses {@code body} whose HTTP Content-Type is {@code contentType} (it carries the boundary).
     *
     * @throws DicomWebException when the response is not multipart or its structure is broken
     */
    public static List<Part> parse(InputStream body, String contentType) throws IOException {
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/")) {
            throw new DicomWebException("expected a multipart/related WADO-RS response, got Content-Type "
                    + contentType, 0);
        }
        MimeTokenStream stream = new MimeTokenStream(CONFIG);
        stream.parseHeadless(body, contentType);
        List<Part> parts = new ArrayList<>();
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                // the headless top entity is the multipart itself, so every T_BODY is one part's body
                if (state == EntityState.T_BODY) {
                    parts.add(new Part(stream.getBodyDescriptor().getMimeType(),
                            stream.getDecodedInputStream().readAllBytes()));
                }
            }
        } catch (MimeException e) {
            throw new DicomWebException("malformed multipart/related WADO-RS response: " + e.getMessage(), e);
        }
        return parts;
    }
}
