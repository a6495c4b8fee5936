package org.sr2fhir.delivery;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.dicom.DicomReader;

/**
 * The routes' steps around {@link ReportSequencer} (bean {@code reportTurns}, decision D58), one line for every source,
 * so one study's reports take turns whichever source brought them. The inbox: {@link #take(Exchange)} on the consumer
 * thread, so tickets follow the order the inbox takes its files; {@link #await} on the delivery thread the report was
 * handed to (the {@code threads} step); the ticket is released when the exchange ends, after every other
 * on-completion (the idempotent repository's record of the content, the move to done/ or error/). The DICOMweb poll
 * (decision D62): {@link #takeKnown} with the keys its listing gave, as its split makes the SRs' exchanges
 * in listing order; {@link #await} on the thread; {@link #release} when the SR ended (a split's exchange has no end
 * of its own: its on-completions would wait for the whole poll).
 */
@Component("reportTurns")
public class ReportTurns {
    /** Exchange property: the report's {@link ReportSequencer.Ticket}. */
    static final String TICKET = "sr2fhirTicket";

    private final ReportSequencer sequencer = new ReportSequencer();
    private final DicomReader reader;
    private final boolean createMissing;

    public ReportTurns(Sr2FhirProperties properties) {
        this.reader = new DicomReader(properties.limits().readLimits());
        this.createMissing = properties.linking().createMissing();
    }

    /** The report's place in line (body: the input's bytes), released when the exchange ends. */
    public void take(Exchange exchange) {
        Set<String> keys;
        try {
            keys = ReportSequencer.keysOf(reader.read(exchange.getMessage().getBody(byte[].class),
                    exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class)), createMissing);
        } catch (InputRejectedException | RuntimeException unreadable) {
            // the pipeline reads it again and refuses it with its reason; it shares nothing with another report
            keys = Set.of();
        }
        ReportSequencer.Ticket ticket = sequencer.take(keys);
        exchange.setProperty(TICKET, ticket);
        exchange.getExchangeExtension().addOnCompletion(new Release(ticket));
    }

    /**
     * The report's place in line from keys its source already knows; the caller {@link #release}s it. (Not an
     * overload of {@link #take(Exchange)}: the inbox route names its step by method name, and Camel would then bind
     * the file's bytes to {@code keys}.)
     */
    public void takeKnown(Exchange exchange, Set<String> keys) {
        exchange.setProperty(TICKET, sequencer.take(keys));
    }

    /** The report ended: the next one sharing a key may go. Nothing happens without a ticket, or a second time. */
    public void release(Exchange exchange) {
        ReportSequencer.Ticket ticket = exchange.getProperty(TICKET, ReportSequencer.Ticket.class);
        if (ticket != null) {
            ticket.release();
        }
    }

    /** Waits until the reports taken earlier that share a key with this one have ended. */
    public void await(Exchange exchange) throws InterruptedException {
        exchange.getProperty(TICKET, ReportSequencer.Ticket.class).awaitTurn();
    }

    /** Held keys, for the tests: 0 once every report ended. */
    int heldKeys() {
        return sequencer.heldKeys();
    }

    /** Runs last among the exchange's on-completions (they run lowest order first). */
    private static final class Release extends SynchronizationAdapter {
        private final ReportSequencer.Ticket ticket;

        Release(ReportSequencer.Ticket ticket) {
            this.ticket = ticket;
        }

        @Override
        public void onDone(Exchange exchange) {
            ticket.release();
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }
}
