package org.sr2fhir.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

    @Test
    void statusesAreCountedOverAllParts() {
        Bundle first = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        first.addEntry().getResponse().setStatus("201 Created");
        first.addEntry().getResponse().setStatus("201 Created");
        first.addEntry().getResponse().setStatus("200 OK");
        Bundle second = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        second.addEntry().getResponse().setStatus("201 Created");

        assertThat(DeliveryLog.statuses(List.of(first, second))).isEqualTo("200 OK x1, 201 Created x3");
        assertThat(DeliveryLog.statuses(List.of())).isEqualTo("empty response");
    }
}
