package org.sr2fhir.fhirclient;

import org.sr2fhir.delivery.FailureReport;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * Sends an OAuth2 access token obtained with the client credentials grant (RFC 6749 §4.4) as
 * {@code Authorization: Bearer} on every FHIR request. The token is cached until shortly before it expires; when
 * several threads need a new one, one of them fetches it and the others wait for that fetch (and share its failure).
 * A 401 from the FHIR server drops the cached token, so the next request (the route's retry or the next report)
 * fetches a fresh one.
 * <p>
 * Failures of the token endpoint are thrown as the HAPI exceptions the route already classifies (FailureReport):
 * unreachable, timed out or 5xx/408/429 = {@link FhirClientConnectionException} (transient, retried); any other 4xx
 * = {@link AuthenticationException} (401, permanent: the credentials are wrong). Messages never carry the secret
 * or the token.
 */
public final class OAuth2ClientCredentialsInterceptor implements IClientInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(OAuth2ClientCredentialsInterceptor.class);
    /** Fetch a new token this long before the old one expires, so a request never leaves with a dying token. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    /** Lifetime assumed when the token response has no expires_in (it is only RECOMMENDED, RFC 6749 §5.1). */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final Sr2FhirProperties.OAuth2 settings;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    private final Object lock = new Object();
    /** The cached token, or null; guarded by {@link #lock}. */
    private Token token;
    /** The fetch under way, or null; guarded by {@link #lock}. */
    private CompletableFuture<Token> fetching;

    /**
     * @param sslContext     the trust the FHIR client uses, so an in-house token endpoint is trusted the same way
     * @param connectTimeout TCP connect timeout to the token endpoint
     * @param requestTimeout time allowed for the token endpoint's answer
     */
    public OAuth2ClientCredentialsInterceptor(Sr2FhirProperties.OAuth2 settings, SSLContext sslContext,
                                              Duration connectTimeout, Duration requestTimeout) {
        this(settings, HttpClient.newBuilder()
                // one small request every few minutes gains nothing from HTTP/2
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext)
                .connectTimeout(connectTimeout)
                .build(), requestTimeout, Clock.systemUTC());
    }

    OAuth2ClientCredentialsInterceptor(Sr2FhirProperties.OAuth2 settings, HttpClient http, Duration requestTimeout,
                                       Clock clock) {
        this.settings = settings;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
        request.addHeader(Constants.HEADER_AUTHORIZATION, Constants.HEADER_AUTHORIZATION_VALPREFIX_BEARER + accessToken());
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        if (response.getStatus() == Constants.STATUS_HTTP_401_CLIENT_UNAUTHORIZED) {
            // revoked or expired early: whichever token this request carried, the next one must be fetched anew
            synchronized (lock) {
                token = null;
            }
        }
    }

    /** The current token, fetched when there is none or it is about to expire. */
    String accessToken() {
        CompletableFuture<Token> pending;
        boolean mine = false;
        synchronized (lock) {
            if (token != null && clock.instant().isBefore(token.refreshAt())) {
                return token.value();
            }
            if (fetching == null) {
                fetching = new CompletableFuture<>();
                mine = true;
            }
            pending = fetching;
        }
        if (mine) {
            fetchInto(pending);
        }
        try {
            return pending.join().value();
        } catch (CompletionException e) {
            // the fetching thread's own exception (see fetchInto), rethrown to every waiting thread
            throw (RuntimeException) e.getCause();
        }
    }

    private void fetchInto(CompletableFuture<Token> pending) {
        try {
            Token fetched = fetch();
            synchronized (lock) {
                token = fetched;
                fetching = null;
            }
            pending.complete(fetched);
        } catch (RuntimeException e) {
            synchronized (lock) {
                fetching = null;
            }
            pending.completeExceptionally(e);
        }
    }

    private Token fetch() {
        Instant requested = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(tokenRequest(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FhirClientConnectionException("OAuth2 token endpoint " + settings.tokenUrl()
                    + " not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirClientConnectionException("interrupted while fetching an OAuth2 token", e);
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 500 || status == 408 || status == 429) {
            throw new FhirClientConnectionException("OAuth2 token endpoint " + settings.tokenUrl()
                    + " failed with HTTP " + status);
        }
        if (status >= 400) {
            // RFC 6749 §5.2: the error code (invalid_client, unauthorized_client ...) says what to fix
            String error = body == null || !body.hasNonNull("error") ? "none given" : body.get("error").asText();
            throw new AuthenticationException("OAuth2 token endpoint " + settings.tokenUrl()
                    + " refused the client credentials of client " + settings.clientId()
                    + ": HTTP " + status + ", OAuth error " + error);
        }
        if (status != 200 || body == null || !body.hasNonNull("access_token")
                || (body.hasNonNull("token_type") && !"bearer".equalsIgnoreCase(body.get("token_type").asText()))) {
            // a proxy's error page or a non-bearer token (RFC 6749 §5.1, RFC 6750): not a usable answer, try again later
            throw new FhirClientConnectionException("OAuth2 token endpoint " + settings.tokenUrl()
                    + " answered HTTP " + status + " without a bearer access_token");
        }
        Duration lifetime = body.hasNonNull("expires_in") && body.get("expires_in").asLong() > 0
                ? Duration.ofSeconds(body.get("expires_in").asLong()) : DEFAULT_LIFETIME;
        // refresh EXPIRY_MARGIN early, but a very short-lived token is still used for half its life
        Duration usable = lifetime.minus(EXPIRY_MARGIN).compareTo(lifetime.dividedBy(2)) > 0
                ? lifetime.minus(EXPIRY_MARGIN) : lifetime.dividedBy(2);
        LOG.debug("fetched an OAuth2 access token for client {}, valid for {}", settings.clientId(), lifetime);
        return new Token(body.get("access_token").asText(), requested.plus(usable));
    }

    /** RFC 6749 §4.4.2 access token request, authenticated as §2.3.1 describes. */
    private HttpRequest tokenRequest() {
        StringJoiner form = new StringJoiner("&").add("grant_type=client_credentials");
        if (settings.scope() != null && !settings.scope().isBlank()) {
            form.add("scope=" + formEncode(settings.scope()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.tokenUrl())
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        switch (settings.clientAuthenticationMethod()) {
            // §2.3.1: id and secret are form-encoded before they are joined for HTTP basic
            case CLIENT_SECRET_BASIC -> request.header(Constants.HEADER_AUTHORIZATION, "Basic " + Base64.getEncoder()
                    .encodeToString((formEncode(settings.clientId()) + ":" + formEncode(settings.clientSecret()))
                            .getBytes(StandardCharsets.UTF_8)));
            case CLIENT_SECRET_POST -> form.add("client_id=" + formEncode(settings.clientId()))
                    .add("client_secret=" + formEncode(settings.clientSecret()));
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An access token and the instant from which a new one is fetched instead. */
    private record Token(String value, Instant refreshAt) {
    }
}
