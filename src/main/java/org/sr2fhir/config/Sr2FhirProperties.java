package org.sr2fhir.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import org.sr2fhir.dicom.ReadLimits;
import org.sr2fhir.fhir.MappingSettings;

/**
 * Every {@code sr2fhir.*} setting, bound and validated at start-up so a bad value stops the application with the
 * property's name in the message. The defaults here are the ones documented in {@code application.yaml}; that file
 * is the user's manual. Environment variables override by Spring's relaxed binding (SR2FHIR_FHIR_URL ...).
 */
@Validated
@ConfigurationProperties("sr2fhir")
public record Sr2FhirProperties(@Valid @DefaultValue Fhir fhir,
                                @Valid @DefaultValue Inbox inbox,
                                @Valid @DefaultValue Validation validation,
                                @Valid @DefaultValue Mapping mapping,
                                @Valid @DefaultValue Linking linking,
                                @Valid @DefaultValue Delivery delivery,
                                @Valid @DefaultValue Journal journal,
                                @Valid @DefaultValue Limits limits) {

    /** The FHIR server the transactions go to, and how the client talks to it. */
    public record Fhir(@NotNull @HttpUrl @DefaultValue("http://localhost:8080/fhir") URI url,
                       @NotNull @DefaultValue("10s") Duration connectTimeout,
                       @NotNull @DefaultValue("60s") Duration socketTimeout,
                       String username,
                       String password,
                       String bearerToken,
                       @DefaultValue("false") boolean gzip,
                       @NotNull @DefaultValue("deterministic") MappingSettings.IdStrategy ids,
                       @Min(0) Integer maxEntriesPerBundle,
                       @NotNull @DefaultValue("auto") FhirVersionSetting version,
                       @Valid @DefaultValue OAuth2 oauth2,
                       @Valid @DefaultValue Tls tls) {

        @AssertTrue(message = "set sr2fhir.fhir.username and sr2fhir.fhir.password together, or neither")
        public boolean isBasicAuthComplete() {
            return isBlank(username) == isBlank(password);
        }

        @AssertTrue(message = "set only one authentication: basic (username/password), bearer-token or oauth2, not several")
        public boolean isOneAuthentication() {
            int ways = (isBlank(username) ? 0 : 1) + (isBlank(bearerToken) ? 0 : 1)
                    + (oauth2 != null && oauth2.enabled() ? 1 : 0);
            return ways <= 1;
        }

        @AssertTrue(message = "timeouts must be positive")
        public boolean isTimeoutsPositive() {
            return connectTimeout == null || socketTimeout == null
                    || (!connectTimeout.isNegative() && !connectTimeout.isZero()
                    && !socketTimeout.isNegative() && !socketTimeout.isZero());
        }
    }

    /** Which FHIR version to write (decision D35): the server's own (auto, from its CapabilityStatement), R5 or R4. */
    public enum FhirVersionSetting { AUTO, R5, R4 }

    /**
     * OAuth2 client credentials grant (RFC 6749 §4.4): the client fetches a token from {@code tokenUrl} and sends it as
     * a bearer token, fetching a new one shortly before it expires. Off while all its settings are blank.
     */
    public record OAuth2(@HttpUrl URI tokenUrl,
                         String clientId,
                         String clientSecret,
                         String scope,
                         @NotNull @DefaultValue("client_secret_basic")
                         ClientAuthenticationMethod clientAuthenticationMethod) {

        /** Whether the grant is configured at all; then the validation below insists on the three credentials. */
        public boolean enabled() {
            return tokenUrl != null || !isBlank(clientId) || !isBlank(clientSecret) || !isBlank(scope);
        }

        @AssertTrue(message = "set sr2fhir.fhir.oauth2.token-url, client-id and client-secret together, or none of them")
        public boolean isComplete() {
            return !enabled() || (tokenUrl != null && !isBlank(clientId) && !isBlank(clientSecret));
        }
    }

    /**
     * How the client authenticates to the token endpoint (RFC 6749 §2.3.1; names as in RFC 7591
     * token_endpoint_auth_method): HTTP basic, or client_id and client_secret in the form body.
     */
    public enum ClientAuthenticationMethod { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST }

    /**
     * Trust (and, for mutual TLS, the client's own key) for HTTPS to the FHIR server and to the OAuth2 token
     * endpoint. A blank store path means the JVM default (its cacerts; no client certificate).
     */
    public record Tls(String trustStore,
                      String trustStorePassword,
                      @NotBlank @DefaultValue("PKCS12") String trustStoreType,
                      String keyStore,
                      String keyStorePassword,
                      @NotBlank @DefaultValue("PKCS12") String keyStoreType) {
    }

    /** The file source's folders; relative paths are resolved against the working directory. */
    public record Inbox(@NotBlank @DefaultValue("inbox") String dir,
                        @NotBlank @DefaultValue("done") String doneDir,
                        @NotBlank @DefaultValue("error") String errorDir) {
    }

    /**
     * Whether each Bundle is checked against the IG before it is sent; {@code minHeap}: the largest heap (-Xmx) below
     * which the validator is known to run out of memory, checked at start-up (decision D51; README "Memory").
     */
    public record Validation(@NotNull @DefaultValue("warn") ValidationMode mode,
                             @NotNull @DefaultValue("560MB") DataSize minHeap) {
    }

    /** off: no check; warn: log the errors and send anyway; reject: an invalid Bundle is not sent (error folder). */
    public enum ValidationMode { OFF, WARN, REJECT }

    /** Mapping choices left open by the IG (decisions.md). */
    public record Mapping(@NotNull @DefaultValue("UTC") ZoneId defaultTimezone,
                          @DefaultValue("true") boolean diagnosticReport,
                          Map<String, String> codingSchemes) {
    }

    /**
     * How the bundle refers to Patient, ImagingStudy and ServiceRequest (decisions D3, D4), and what a report with an
     * empty Patient ID is linked to (D26): refused, or the Patient of the server's ImagingStudy for its study.
     */
    public record Linking(@DefaultValue("false") boolean createMissing,
                          Map<String, String> issuerSystems,
                          @NotBlank @DefaultValue("urn:sr2fhir:patient-id") String defaultPatientSystem,
                          @NotBlank @DefaultValue("urn:sr2fhir:accession") String defaultAccessionSystem,
                          @NotNull @DefaultValue("from-study") MappingSettings.MissingPatientId missingPatientId) {
    }

    /**
     * How the inbox route retries a report the FHIR server could not take yet (issue 6): exponential back-off from
     * {@code initialBackoff} doubling up to {@code maxBackoff}, for at most {@code retryBudget} after the first
     * failure; where the content hashes of delivered inputs are kept, so a file dropped again is not re-sent; and how
     * many reports are converted and delivered at once (issue 15, {@code concurrency}).
     */
    public record Delivery(@NotNull @DefaultValue("10m") Duration retryBudget,
                           @NotNull @DefaultValue("1s") Duration initialBackoff,
                           @NotNull @DefaultValue("1m") Duration maxBackoff,
                           @NotBlank @DefaultValue("data/delivered-inputs.txt") String deliveredStore,
                           @Min(1) @DefaultValue("20000") int deliveredStoreEntries,
                           @Min(1) @DefaultValue("5") int serverErrorAttempts,
                           @Min(value = 1, message = CONCURRENCY_RANGE) @Max(value = 64, message = CONCURRENCY_RANGE)
                           @DefaultValue("4") int concurrency) {

        static final String CONCURRENCY_RANGE = "must be between 1 and 64 (reports delivered at once)";

        @AssertTrue(message = "retry-budget must not be negative, and 0 < initial-backoff <= max-backoff")
        public boolean isBackoffConsistent() {
            return retryBudget == null || initialBackoff == null || maxBackoff == null
                    || (!retryBudget.isNegative() && initialBackoff.toMillis() > 0 && initialBackoff.compareTo(maxBackoff) <= 0);
        }
    }

    /**
     * The report journal's database (issue 12): any JDBC URL (H2 and PostgreSQL drivers are included), by default an
     * H2 file in {@code sr2fhir.data-dir} when {@code url} is unset (decision D71, {@link DataDirProperties}); rows older
     * than {@code retention} are pruned in the background (0 = never).
     */
    public record Journal(@Pattern(regexp = "(jdbc:.*)?", message = "is not a JDBC URL (jdbc:...), e.g. jdbc:h2:file:./data/journal")
                          String url,
                          String username,
                          String password,
                          @NotNull @DefaultValue("30d") Duration retention) {

        @AssertTrue(message = "sr2fhir.journal.retention must not be negative")
        public boolean isRetentionNotNegative() {
            return retention == null || !retention.isNegative();
        }
    }

    /**
     * Decisions D48, D51: how much of an input is read. {@code maxInputSize}: the largest file or DICOMweb instance
     * (checked on the file's size before it is read); {@code maxInflatedSize}: the largest dataset a Deflated
     * Explicit VR Little Endian input may inflate to. Both also bound every element (an element is never larger than
     * its input). The reader holds the input and, for a deflated one, its inflated copy in memory at once.
     */
    public record Limits(@NotNull @DefaultValue("64MB") DataSize maxInputSize,
                         @NotNull @DefaultValue("64MB") DataSize maxInflatedSize) {

        @AssertTrue(message = "sr2fhir.limits.max-input-size and max-inflated-size must be between 1KB and 1GB")
        public boolean isWithinRange() {
            return within(maxInputSize) && within(maxInflatedSize);
        }

        private static boolean within(DataSize size) {
            return size == null || size.toBytes() >= 1024 && size.toBytes() <= (1L << 30);
        }

        /** The reader's limits: these sizes, the built-in nesting depth and element count. */
        public ReadLimits readLimits() {
            return new ReadLimits((int) maxInputSize.toBytes(), (int) maxInflatedSize.toBytes(),
                    ReadLimits.DEFAULTS.maxDepth(), ReadLimits.DEFAULTS.maxElements());
        }
    }

    /** The plain-Java view the mapping code takes, so it stays testable without Spring. */
    public MappingSettings mappingSettings() {
        return new MappingSettings(mapping.defaultTimezone(), linking.createMissing(), fhir.ids(),
                linking.issuerSystems(), linking.defaultPatientSystem(), linking.defaultAccessionSystem(),
                mapping.codingSchemes(), mapping.diagnosticReport(),
                fhir.maxEntriesPerBundle() == null ? 0 : fhir.maxEntriesPerBundle(),
                linking.missingPatientId());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
