package org.sr2fhir.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.sr2fhir.Sr2FhirApplication;
import org.sr2fhir.testserver.FhirTestServer;

/** The whole product against the real test FHIR server: inbox in, transaction out, file to done/ or error/. */
@CamelSpringBootTest
@SpringBootTest(classes = Sr2FhirApplication.class)
class InboxRouteIT {
    private static final Path WORK = TestFolders.create("inbox-route-it");
    private static final Path INBOX = WORK.resolve("inbox");
    private static final Path DONE = WORK.resolve("done");
    private static final Path ERROR = WORK.resolve("error");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("sr2fhir.fhir.url", () -> FhirTestServer.shared().baseUrl());
        registry.add("sr2fhir.inbox.dir", INBOX::toString);
        registry.add("sr2fhir.inbox.done-dir", DONE::toString);
        registry.add("sr2fhir.inbox.error-dir", ERROR::toString);
        registry.add("camel.main.routes-reload-enabled", () -> "false");
    }

    @Test
    void garbageFileEndsInErrorWithItsReason() throws IOException {
        TestFolders.dropAtomically(INBOX, "garbage.dcm", "this is not DICOM".getBytes());

        Path moved = ERROR.resolve("garbage.dcm");
        Path reason = ERROR.resolve("garbage.dcm.error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(moved) && Files.exists(reason));
        assertThat(Files.readAllLines(reason).get(0)).contains("garbage.dcm");
        assertThat(DONE.resolve("garbage.dcm")).doesNotExist();
        assertThat(INBOX.resolve("garbage.dcm")).doesNotExist();
    }
}
