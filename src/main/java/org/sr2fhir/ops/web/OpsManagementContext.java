package org.sr2fhir.ops.web;

import static org.springframework.web.servlet.function.RequestPredicates.GET;

import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.sr2fhir.journal.ReportJournal;
import org.sr2fhir.ops.ReportResend;

/**
 * What the management port serves beside Actuator: the REST API ({@code /api/...}) and the web console ({@code /},
 * a static page polling the API). Loaded into Spring Boot's management context through
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}; deliberately not a {@code @Configuration}, so the
 * application's component scan does not also put it on the (unused) application port.
 */
public class OpsManagementContext {

    @Bean
    public ReportApi reportApi(ReportJournal journal, ReportResend resend) {
        return new ReportApi(journal, resend);
    }

    @Bean
    public RouterFunction<ServerResponse> reportApiRoutes(ReportApi api) {
        return RouterFunctions.route()
                .GET("/api/reports", api::reports)
                .GET("/api/reports/{id}", api::report)
                .POST("/api/reports/{id}/resend", api::resend)
                .GET("/api/summary", api::summary)
                .build();
    }

    @Bean
    public RouterFunction<ServerResponse> consoleRoutes() {
        ClassPathResource page = new ClassPathResource("ops/console.html");
        ClassPathResource script = new ClassPathResource("ops/console.js");
        return RouterFunctions.route(GET("/"),
                        request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).body(page))
                .andRoute(GET("/console.js"),
                        request -> ServerResponse.ok().contentType(MediaType.valueOf("text/javascript")).body(script));
    }
}
