package org.sr2fhir.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.hl7.fhir.r5.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one log line per delivered report: file, SR SOP Instance UID, entries, the server's entry statuses and the
 * time since the exchange began. No patient data (decision D21). Counts the delivery, its entries and its latency.
 */
@Component("deliveryLog")
public class DeliveryLog {
    /** Exchange property the route sets once the report is read: the SR's SOP Instance UID. */
    public static final String SR_INSTANCE_UID = "srInstanceUid";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);

    private final DeliveryCounters counters;

    public DeliveryLog(DeliveryCounters counters) {
        this.counters = counters;
    }

    /** Logs the delivery of the exchange whose body is the server's transaction-response Bundles, one per part. */
    public void delivered(Exchange exchange) {
        List<?> responses = exchange.getMessage().getBody(List.class);
        List<Bundle> bundles = responses == null ? List.of()
                : responses.stream().filter(Bundle.class::isInstance).map(Bundle.class::cast).toList();
        counters.delivered(bundles.stream().mapToInt(b -> b.getEntry().size()).sum(),
                Duration.ofMillis(exchange.getClock().elapsed()));
        LOG.info("delivered {} (SR {}): {} entries in {} transaction(s), {}, {} ms",
                exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class),
                exchange.getProperty(SR_INSTANCE_UID, String.class),
                bundles.stream().mapToInt(b -> b.getEntry().size()).sum(),
                bundles.size(),
                statuses(bundles),
                exchange.getClock().elapsed());
    }

    /** "201 Created x12, 200 OK x3": how many entries the server answered with each status. */
    public static String statuses(List<Bundle> responses) {
        Map<String, Integer> counts = new TreeMap<>();
        responses.forEach(response -> response.getEntry().forEach(entry -> counts.merge(
                entry.hasResponse() ? entry.getResponse().getStatus() : "no status", 1, Integer::sum)));
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> text.append(text.isEmpty() ? "" : ", ").append(status).append(" x").append(count));
        return text.isEmpty() ? "empty response" : text.toString();
    }
}
