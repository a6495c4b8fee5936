package org.sr2fhir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.mock.env.MockEnvironment;
import org.sr2fhir.config.Sr2FhirProperties;

class ReportTurnsTest {
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void theTicketIsReleasedWhenTheExchangeEndsEvenFailedAndLast() throws Exception {
        ReportTurns turns = new ReportTurns(properties(false));
        Exchange failing = report("1.2.3");
        Exchange next = report("1.2.3");
        turns.take(failing);
        turns.take(next);
        assertThat(ticket(next).hasTurn()).isFalse();
        List<Synchronization> completions = failing.getExchangeExtension().handoverCompletions();
        // the release runs after the other on-completions (the file's move, the idempotent repository's record)
        assertThat(completions).singleElement().isInstanceOf(Ordered.class)
                .extracting(s -> ((Ordered) s).getOrder()).isEqualTo(Ordered.LOWEST);
        failing.setException(new IllegalStateException("the server said no"));
        completions.forEach(completion -> completion.onFailure(failing));
        assertThat(ticket(next).hasTurn()).isTrue();
        turns.await(next);
    }

    @Test
    void aDicomWebSrTakesItsStudysTurnFromItsListingAndIsReleasedByItsRoute() throws Exception {
        ReportTurns turns = new ReportTurns(properties(false));
        Exchange listed = new DefaultExchange(camel);
        turns.takeKnown(listed, Set.of(ReportSequencer.studyKey("1.2.3")));
        Exchange inboxReport = report("1.2.3");
        turns.take(inboxReport);
        // one line for both sources: the inbox's report of that study waits for the SR
        assertThat(ticket(inboxReport).hasTurn()).isFalse();
        // a split's exchange ends with the whole poll: its route releases the ticket, no on-completion does
        assertThat(listed.getExchangeExtension().handoverCompletions()).isNull();
        turns.release(listed);
        turns.release(listed);
        assertThat(ticket(inboxReport).hasTurn()).isTrue();
        turns.await(inboxReport);
        turns.release(inboxReport);
        turns.release(new DefaultExchange(camel)); // no ticket: nothing to do
        assertThat(turns.heldKeys()).isZero();
    }

    @Test
    void anUnreadableInputWaitsForNothing() {
        ReportTurns turns = new ReportTurns(properties(false));
        Exchange first = report("1.2.3");
        turns.take(first);
        Exchange garbage = new DefaultExchange(camel);
        garbage.getMessage().setBody("not DICOM at all".getBytes(StandardCharsets.UTF_8));
        turns.take(garbage);
        assertThat(ticket(garbage).hasTurn()).isTrue();
    }

    @Test
    void withCreateMissingOnePatientsStudiesTakeTurns() {
        ReportTurns turns = new ReportTurns(properties(true));
        Exchange one = report("1.2.3");
        Exchange two = report("1.2.4");
        turns.take(one);
        turns.take(two);
        assertThat(ticket(two).hasTurn()).isFalse();
        ReportTurns separate = new ReportTurns(properties(false));
        Exchange three = report("1.2.3");
        Exchange four = report("1.2.4");
        separate.take(three);
        separate.take(four);
        assertThat(ticket(four).hasTurn()).isTrue();
    }

    private Exchange report(String study) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "r.json");
        exchange.getMessage().setBody(("{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + study + "\"]},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PAT\"]}}").getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private static ReportSequencer.Ticket ticket(Exchange exchange) {
        return exchange.getProperty(ReportTurns.TICKET, ReportSequencer.Ticket.class);
    }

    private static Sr2FhirProperties properties(boolean createMissing) {
        MockEnvironment environment = new MockEnvironment().withProperty("sr2fhir.linking.create-missing",
                String.valueOf(createMissing));
        return new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("sr2fhir", Bindable.of(Sr2FhirProperties.class));
    }
}
