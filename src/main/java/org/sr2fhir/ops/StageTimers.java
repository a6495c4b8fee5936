package org.sr2fhir.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Times the pipeline's stages: the route steps whose id is a stage name ({@code read}, {@code map},
 * {@code validate}, {@code deliver} in {@code routes/sr-to-fhir.yaml}) record the timer {@code sr2fhir.stage} with
 * the tag {@code stage}. A step named {@code <stage>-<part>} (e.g. {@code map-context}) adds its time to the next
 * step of that stage, so each stage is one sample per report. Only these four tag values exist (low cardinality).
 */
public class StageTimers implements InterceptStrategy {
    static final Set<String> STAGES = Set.of("read", "map", "validate", "deliver");
    private static final String PENDING = "sr2fhirStageNanos.";

    private final MeterRegistry registry;

    public StageTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (!(definition instanceof OptionalIdentifiedDefinition<?> node) || !node.hasCustomIdAssigned()) {
            return target;
        }
        String id = node.getId();
        int dash = id.indexOf('-');
        String stage = dash < 0 ? id : id.substring(0, dash);
        if (!STAGES.contains(stage)) {
            return target;
        }
        Timer timer = Timer.builder("sr2fhir.stage").tag("stage", stage)
                .description("time per report in each pipeline stage").register(registry);
        boolean part = dash >= 0;
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                long start = System.nanoTime();
                return processor.process(exchange, doneSync -> {
                    long nanos = System.nanoTime() - start;
                    if (part) {
                        exchange.setProperty(PENDING + stage, exchange.getProperty(PENDING + stage, 0L, Long.class) + nanos);
                    } else {
                        Long earlier = (Long) exchange.removeProperty(PENDING + stage);
                        timer.record(Duration.ofNanos(nanos + (earlier == null ? 0 : earlier)));
                    }
                    callback.done(doneSync);
                });
            }
        };
    }
}
