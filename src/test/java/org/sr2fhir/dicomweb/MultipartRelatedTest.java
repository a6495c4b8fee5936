package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartRelatedTest {
    private static final Path SHARED = Path.of(System.getProperty("sr2fhir.shared.dir", "../shared"));

    @Test
    void keepsBinaryPartsByteForByte() throws Exception {
        // a real Part 10 SR plus bytes that look like delimiters and line ends but are not on a line of their own
        byte[] sr = Files.readAllBytes(SHARED.resolve("corpus/sr/gen_highdicom_tid1501_enhanced_sr.dcm"));
        byte[] tricky = "x\r\n--not-the-boundary\r\n\n\r\u0000--B\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("--B\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        body.write(sr);
        body.write("\r\n--B\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        body.write(tricky);
        body.write("\r\n--B--".getBytes(StandardCharsets.US_ASCII));

        List<MultipartRelated.Part> parts = MultipartRelated.parse(new ByteArrayInputStream(body.toByteArray()),
                "multipart/related; type=\"application/dicom\"; boundary=B");

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).mediaType()).isEqualTo("application/dicom");
        assertThat(parts.get(0).content()).isEqualTo(sr);
        assertThat(parts.get(1).content()).isEqualTo(tricky);
    }

    @Test
    void readsAQuotedBoundaryAndIgnoresPreambleAndEpilogue() throws Exception {
        byte[] body = FakeDicomWebArchive.multipart("DICM-bytes".getBytes(StandardCharsets.US_ASCII));

        List<MultipartRelated.Part> parts = MultipartRelated.parse(new ByteArrayInputStream(body),
                "Multipart/Related; boundary=\"" + FakeDicomWebArchive.BOUNDARY + "\"; type=\"application/dicom\"");

        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.mediaType()).isEqualTo("application/dicom");
            assertThat(new String(p.content(), StandardCharsets.US_ASCII)).isEqualTo("DICM-bytes");
        });
    }

    @Test
    void refusesAResponseThatIsNotMultipart() {
        assertThatThrownBy(() -> MultipartRelated.parse(new ByteArrayInputStream(new byte[0]), "application/dicom"))
                .isInstanceOf(DicomWebException.class).hasMessageContaining("application/dicom");
    }
}
