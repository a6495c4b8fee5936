package org.sr2fhir.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sr2fhir.tid1500.SopClass.COMPREHENSIVE_3D_SR;
import static org.sr2fhir.tid1500.SopClass.ENHANCED_SR;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.tid1500.SopClass;
import org.sr2fhir.config.DicomWebProperties.Auth;
import org.sr2fhir.config.DicomWebProperties.AuthType;
import org.sr2fhir.config.DicomWebProperties.FetchMode;

class DicomWebClientTest {
    @TempDir
    Path dir;

    private final FakeDicomWebArchive archive = new FakeDicomWebArchive();
    private final List<DicomWebCamel> camels = new ArrayList<>();

    DicomWebClientTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        for (DicomWebCamel camel : camels) {
            camel.close();
        }
        archive.close();
    }

    /** The client over Camel's http component (route direct:dicomweb-get), as the source uses it. */
    private DicomWebClient client(int pageSize, Auth auth) throws Exception {
        return client(archive.settings(pageSize, dir.resolve("cp.jsonl"), FetchMode.PART10, auth));
    }

    private DicomWebClient client(DicomWebProperties settings) throws Exception {
        DicomWebCamel camel = new DicomWebCamel(settings, Clock.systemUTC());
        camels.add(camel);
        return new DicomWebClient(settings, camel.http());
    }

    /** One WADO-RS request of {@code client} through Camel's http component, and its answer unpacked. */
    private byte[] retrieve(DicomWebClient client, InstanceRef ref) throws Exception {
        DicomWebClient.Retrieval retrieval = client.retrieval(ref);
        DicomWebClient.Response answer = camels.get(camels.size() - 1).http().get(retrieval.resource(),
                retrieval.accept());
        return client.unpack(retrieval, answer.contentType(), new ByteArrayInputStream(answer.body()));
    }

    @Test
    void pagesThroughEveryInstanceWithLimitAndOffset() throws Exception {
        IntStream.range(0, 450).forEach(i -> archive.add(ENHANCED_SR, "1.2.3.4." + i));
        archive.add(COMPREHENSIVE_3D_SR, "1.2.3.5.1");

        List<InstanceRef> found = client(200, FakeDicomWebArchive.noAuth()).searchInstances(ENHANCED_SR, null);

        assertThat(found).extracting(InstanceRef::sopInstanceUid)
                .containsExactlyElementsOf(IntStream.range(0, 450).mapToObj(i -> "1.2.3.4." + i).toList());
        assertThat(found.get(0).studyInstanceUid()).isEqualTo("1.2.3.100");
        assertThat(found.get(0).seriesInstanceUid()).isEqualTo("1.2.3.100.1");
        assertThat(found.get(0).sopClassUid()).isEqualTo(ENHANCED_SR);
        assertThat(archive.requests()).containsExactly(
                "/dicom-web/instances?Modality=SR&SOPClassUID=" + ENHANCED_SR + "&limit=200&offset=0",
                "/dicom-web/instances?Modality=SR&SOPClassUID=" + ENHANCED_SR + "&limit=200&offset=200",
                "/dicom-web/instances?Modality=SR&SOPClassUID=" + ENHANCED_SR + "&limit=200&offset=400");
    }

    @Test
    void aFullLastPageIsFollowedByAnEmptyOne() throws Exception {
        IntStream.range(0, 4).forEach(i -> archive.add(ENHANCED_SR, "1.2.3.4." + i));

        assertThat(client(2, FakeDicomWebArchive.noAuth()).searchInstances(ENHANCED_SR, null)).hasSize(4);
        // the third page is answered 204 No Content (PS3.18 10.6.3.2)
        assertThat(archive.requests()).hasSize(3).last().asString().endsWith("offset=4");
    }

    @Test
    void stopsWhenTheServerIgnoresOffset() throws Exception {
        IntStream.range(0, 5).forEach(i -> archive.add(ENHANCED_SR, "1.2.3.4." + i));
        archive.setIgnoreOffset(true);

        assertThat(client(2, FakeDicomWebArchive.noAuth()).searchInstances(ENHANCED_SR, null))
                .extracting(InstanceRef::sopInstanceUid).containsExactly("1.2.3.4.0", "1.2.3.4.1");
        assertThat(archive.requests()).hasSize(2);
    }

    @Test
    void aBaseUrlWrittenWithATrailingSlashWorksToo() throws Exception {
        InstanceRef ref = archive.add(ENHANCED_SR, "1.2.3.4.9");
        DicomWebProperties s = archive.settings(10, dir.resolve("cp.jsonl"), FetchMode.PART10,
                FakeDicomWebArchive.noAuth());
        DicomWebClient client = client(new DicomWebProperties(true, URI.create(s.url() + "/"), s.auth(),
                s.connectTimeout(), s.readTimeout(), s.pollInterval(), s.maxBackoff(), s.pageSize(), s.sopClasses(),
                s.fetchMode(), null, s.checkpointFile(), s.maxAttempts()));

        assertThat(client.searchInstances(ENHANCED_SR, null)).containsExactly(ref);
        assertThat(retrieve(client, ref)).isNotEmpty();
        assertThat(archive.requests()).allSatisfy(r -> assertThat(r).startsWith("/dicom-web/").doesNotContain("//"));
    }

    @Test
    void asksForStudiesFromADateWithRangeMatching() throws Exception {
        client(10, FakeDicomWebArchive.noAuth()).searchInstances(ENHANCED_SR, LocalDate.of(2026, 1, 31));

        assertThat(archive.requests().get(0)).contains("&StudyDate=20260131-&");
    }

    @Test
    void sendsBasicOrBearerCredentials() throws Exception {
        client(10, new Auth(AuthType.BASIC, "reader", "s3cret", null)).searchInstances(ENHANCED_SR, null);
        client(10, new Auth(AuthType.BEARER, null, null, "tok.en")).searchInstances(ENHANCED_SR, null);
        client(10, FakeDicomWebArchive.noAuth()).searchInstances(ENHANCED_SR, null);

        assertThat(archive.authorizations()).containsExactly(
                "Basic cmVhZGVyOnMzY3JldA==", "Bearer tok.en", "null");
    }

    @Test
    void anErrorStatusIsADicomWebExceptionWithTheStatus() {
        archive.setDown(true);

        assertThatThrownBy(() -> client(10, FakeDicomWebArchive.noAuth()).searchInstances(ENHANCED_SR, null))
                .isInstanceOfSatisfying(DicomWebException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void retrievesThePart10BytesFromTheMultipartResponse() throws Exception {
        InstanceRef ref = archive.add(ENHANCED_SR, "1.2.3.4.9");
        DicomWebClient client = client(10, FakeDicomWebArchive.noAuth());

        byte[] part10 = retrieve(client, ref);

        assertThat(new String(part10, StandardCharsets.US_ASCII)).isEqualTo("part10-of-1.2.3.4.9");
        assertThat(archive.requests()).containsExactly("/dicom-web/studies/1.2.3.100/series/1.2.3.100.1/instances/1.2.3.4.9");
        assertThat(archive.accepts()).containsExactly(
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
    }

    @Test
    void retrievesTheMetadataAsOneDicomJsonObject() throws Exception {
        InstanceRef ref = archive.add(ENHANCED_SR, "1.2.3.4.9");
        DicomWebClient client = client(archive.settings(10, dir.resolve("cp"), FetchMode.JSON,
                FakeDicomWebArchive.noAuth()));

        byte[] metadata = retrieve(client, ref);

        var node = new ObjectMapper().readTree(metadata);
        assertThat(node.isObject()).isTrue();
        assertThat(node.path("00080018").path("Value").path(0).asText()).isEqualTo("1.2.3.4.9");
        assertThat(archive.requests()).containsExactly(
                "/dicom-web/studies/1.2.3.100/series/1.2.3.100.1/instances/1.2.3.4.9/metadata");
        assertThat(archive.accepts()).containsExactly("application/dicom+json");
    }

    @Test
    void aMissingInstanceIs404() throws Exception {
        InstanceRef gone = new InstanceRef("1.2.3.100", "1.2.3.100.1", "9.9.9", SopClass.ENHANCED_SR);
        DicomWebClient client = client(10, FakeDicomWebArchive.noAuth());

        assertThatThrownBy(() -> retrieve(client, gone))
                .isInstanceOfSatisfying(DicomWebException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void anUnreachableArchiveIsAnIOException() throws Exception {
        DicomWebClient client = client(10, FakeDicomWebArchive.noAuth());
        archive.close(); // nothing listens on the port any more

        assertThatThrownBy(() -> client.searchInstances(ENHANCED_SR, null)).isInstanceOf(IOException.class)
                .isNotInstanceOf(DicomWebException.class);
    }

    @Test
    void aPart10AnswerWithoutADicomPartIsRefused() throws Exception {
        DicomWebClient client = client(10, FakeDicomWebArchive.noAuth());
        DicomWebClient.Retrieval retrieval = client.retrieval(archive.add(ENHANCED_SR, "1.2.3.4.9"));
        String contentType = "multipart/related; type=\"application/dicom\"; boundary=b";
        byte[] body = "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> client.unpack(retrieval, contentType, new ByteArrayInputStream(body)))
                .isInstanceOf(DicomWebException.class).hasMessageContaining("no application/dicom part");
    }
}
