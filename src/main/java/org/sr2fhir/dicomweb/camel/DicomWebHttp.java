package org.sr2fhir.dicomweb.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.sr2fhir.config.DicomWebProperties;
import org.sr2fhir.dicomweb.DicomWebClient;
import org.sr2fhir.dicomweb.DicomWebException;

/**
 * The DICOMweb source's HTTP side on Camel's HTTP component: every GET to the archive goes through the route
 * {@code direct:dicomweb-get} of {@code routes/dicomweb-to-fhir.yaml}, whose {@code http} endpoint uses the
 * {@link #newHttpClient client} made here from the {@code sr2fhir.dicomweb.*} settings. QIDO-RS searches reach it
 * through {@link #get}; WADO-RS fetches are steps of the route itself.
 */
public class DicomWebHttp implements DicomWebClient.Transport {
    /**
     * Exchange property: the path after {@code sr2fhir.dicomweb.url} that {@code direct:dicomweb-get} GETs; a query
     * goes in the CamelHttpQuery header.
     */
    public static final String RESOURCE = "sr2fhirDicomWebResource";
    private static final String GET_ROUTE = "direct:dicomweb-get";

    private final ProducerTemplate template;

    public DicomWebHttp(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    public DicomWebClient.Response get(String resource, String accept) throws IOException {
        int query = resource.indexOf('?');
        Exchange answer = template.send(GET_ROUTE, exchange -> {
            exchange.setProperty(RESOURCE, query < 0 ? resource : resource.substring(0, query));
            if (query >= 0) {
                // the query travels in its header: the endpoint URI's own query holds the http options
                exchange.getMessage().setHeader(Exchange.HTTP_QUERY, resource.substring(query + 1));
            }
            exchange.getMessage().setHeader(HttpHeaders.ACCEPT, accept);
        });
        if (answer.getException() != null) {
            throw asIOException(answer.getException(), resource);
        }
        Message message = answer.getMessage();
        byte[] body = message.getBody(byte[].class);
        return new DicomWebClient.Response(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class),
                message.getHeader(Exchange.CONTENT_TYPE, String.class), body == null ? new byte[0] : body);
    }

    /**
     * A failed GET as the source sorts it: an error status (camel-http's HttpOperationFailedException, thrown as
     * throwExceptionOnFailure is on) becomes a {@link DicomWebException} with the status; a network failure stays
     * the IOException it is; anything else (e.g. the route not running) is wrapped, so it counts as an outage too.
     */
    static IOException asIOException(Throwable failure, String resource) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpOperationFailedException status) {
                return new DicomWebException("DICOMweb GET " + resource + " answered HTTP " + status.getStatusCode(),
                        status.getStatusCode());
            }
            if (c instanceof IOException io) {
                return io;
            }
        }
        return new IOException("DICOMweb GET " + resource + " failed: " + failure, failure);
    }

    /**
     * The Apache HttpClient behind the {@code http} endpoint of {@code direct:dicomweb-get}: connect-timeout for the
     * TCP connection and for a pooled connection, read-timeout as the longest silence while waiting for or reading
     * the answer, and the credentials as a preemptive Authorization header. They live in the client, never on a
     * Camel message or in an endpoint URI, so neither tracing nor error messages can show them. A connection for each
     * of the {@code concurrency} SRs a poll fetches at once (decision D62), and never fewer than HttpClient's
     * defaults (5 to one host, 25 in all).
     */
    public static CloseableHttpClient newHttpClient(DicomWebProperties settings, int concurrency) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout read = Timeout.of(settings.readTimeout());
        var client = HttpClients.custom()
                // no retries of its own: the source backs off (PollBackoff) and tries again in a later poll
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(Math.max(concurrency, 5))
                        .setMaxConnTotal(Math.max(concurrency, 25))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect).setSocketTimeout(read).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect).setResponseTimeout(read).build());
        String authorization = switch (settings.auth().type()) {
            case NONE -> null;
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString(
                    (settings.auth().username() + ":" + settings.auth().password()).getBytes(StandardCharsets.UTF_8));
            case BEARER -> "Bearer " + settings.auth().token();
        };
        if (authorization != null) {
            client.setDefaultHeaders(List.of(new BasicHeader(HttpHeaders.AUTHORIZATION, authorization, true)));
        }
        return client.build();
    }
}
