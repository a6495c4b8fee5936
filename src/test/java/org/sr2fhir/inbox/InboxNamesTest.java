package org.sr2fhir.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decision D49: names that leave no room for a suffix are shortened, keeping their extension and apart. */
class InboxNamesTest {

    @Test
    void namesWithRoomForTheSuffixStayAsTheyAre() {
        String name = "x".repeat(245 - 4) + ".dcm";
        assertThat(InboxNames.fitting(name, InboxNames.ERROR_SUFFIX)).isEqualTo(name);
    }

    @Test
    void longerNamesAreShortenedToFitKeepingTheExtensionAndStayingDistinct() {
        String a = "a".repeat(250) + ".dcm";
        String b = "a".repeat(251) + ".dcm";
        String shortA = InboxNames.fitting(a, InboxNames.ERROR_SUFFIX);
        assertThat((shortA + InboxNames.ERROR_SUFFIX).getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(255);
        assertThat(shortA).endsWith(".dcm").startsWith("aaaa").contains("~");
        assertThat(InboxNames.fitting(b, InboxNames.ERROR_SUFFIX)).isNotEqualTo(shortA);
    }

    @Test
    void multiByteCharactersAreNeverCutInHalf() {
        String name = "é".repeat(127) + ".json"; // 259 bytes
        String fitted = InboxNames.fitting(name, ".camelLock");
        assertThat(fitted.getBytes(StandardCharsets.UTF_8).length + 10).isLessThanOrEqualTo(255);
        assertThat(new String(fitted.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(fitted)
                .endsWith(".json");
    }
}
