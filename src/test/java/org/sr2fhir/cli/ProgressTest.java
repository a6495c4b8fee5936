package org.sr2fhir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Decision D72: progress on stderr, a bar on a terminal, a line every 5 s elsewhere. */
class ProgressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();

    @Test
    void onATerminalABarIsRedrawnInPlaceAndClearedAtTheEnd() {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), true, now::get, 4);

        progress.advance(1, "a.dcm");
        progress.advance(2, "b.dcm");
        progress.finish();

        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\n")
                .contains("\r[#######                       ] 1/4 a.dcm")
                .contains("\r[###############               ] 2/4 b.dcm").endsWith("\r\033[K");
    }

    @Test
    void elsewhereALineAtMostEveryFiveSecondsSoAShortRunPrintsNone() {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), false, now::get, 10);

        progress.advance(1, "a.dcm");
        now.addAndGet(Progress.LINE_INTERVAL_NANOS);
        progress.advance(2, "b.dcm");
        progress.advance(3, "c.dcm");
        progress.finish();

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("convert: 2/10 inputs done\n");
    }
}
