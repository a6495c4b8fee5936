package org.sr2fhir.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The convert command's progress on stderr (decision D72), never on stdout, which carries only the result lines: on a
 * terminal a bar redrawn in place for every input; otherwise (a log file, a pipe) a line at most every
 * {@link #LINE_INTERVAL_NANOS}, so a short run prints none.
 */
final class Progress {
    static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final int total;
    private long lastLine;
    private boolean drawn;

    Progress(PrintStream err, boolean terminal, LongSupplier nanoTime, int total) {
        this.err = err;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.total = total;
        this.lastLine = nanoTime.getAsLong();
    }

    /** {@code done} of the inputs are finished, the last one {@code name}. */
    void advance(int done, String name) {
        if (terminal) {
            int filled = total == 0 ? BAR_WIDTH : done * BAR_WIDTH / total;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total + " "
                    + fit(name) + "\033[K");
            err.flush();
            drawn = true;
        } else if (nanoTime.getAsLong() - lastLine >= LINE_INTERVAL_NANOS && done < total) {
            lastLine = nanoTime.getAsLong();
            err.println("convert: " + done + "/" + total + " inputs done");
        }
    }

    /** Clears the bar, so the shell prompt (or the summary on a shared terminal) starts on a clean line. */
    void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    private static String fit(String name) {
        return name.length() <= 40 ? name : "..." + name.substring(name.length() - 37);
    }
}
