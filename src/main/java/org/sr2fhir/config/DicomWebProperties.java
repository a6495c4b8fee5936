package org.sr2fhir.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.sr2fhir.tid1500.SopClass;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The DICOMweb source (issue 5): which archive to poll, how, and where its checkpoint lives. Every setting is
 * documented in the "sr2fhir.dicomweb" section of application.yaml.
 *
 * @param enabled           start the {@code dicomweb-to-fhir} route
 * @param url               DICOMweb base URL (the QIDO-RS and WADO-RS root, e.g. http://127.0.0.1:8042/dicom-web)
 * @param auth              credentials sent with every request
 * @param connectTimeout    TCP connect timeout
 * @param readTimeout       time allowed for one whole response
 * @param pollInterval      time between two polls of the archive
 * @param maxBackoff        longest pause after repeated transient failures (archive or FHIR server down)
 * @param pageSize          QIDO-RS {@code limit}: instances asked for per request
 * @param sopClasses        SR SOP Class UIDs in scope (decision D1); one QIDO-RS query per class
 * @param fetchMode         WADO-RS representation fetched for each instance
 * @param studyDateLookback when set, QIDO-RS only asks for studies dated from (watermark - lookback); unset means a
 *                          full listing on every poll, which never misses an SR added to an old study
 * @param checkpointFile    journal of delivered and rejected SOP Instance UIDs and the watermark
 * @param maxAttempts       polls in which one SR may fail with an unexpected error before it is recorded as
 *                          rejected (so it stops being retried); outages never count against it
 */
@Validated
@ConfigurationProperties("sr2fhir.dicomweb")
public record DicomWebProperties(
        @DefaultValue("false") boolean enabled,
        @HttpUrl URI url,
        @Valid @NotNull @DefaultValue Auth auth,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("60s") Duration readTimeout,
        @NotNull @DefaultValue("30s") Duration pollInterval,
        @NotNull @DefaultValue("10m") Duration maxBackoff,
        @Min(1) @Max(10000) @DefaultValue("200") int pageSize,
        @NotEmpty @DefaultValue({SopClass.ENHANCED_SR, SopClass.COMPREHENSIVE_SR, SopClass.COMPREHENSIVE_3D_SR}) List<String> sopClasses,
        @NotNull @DefaultValue("part10") FetchMode fetchMode,
        Period studyDateLookback,
        @NotNull @DefaultValue("data/dicomweb-checkpoint.jsonl") Path checkpointFile,
        @Min(1) @DefaultValue("3") int maxAttempts) {

    public DicomWebProperties {
        sopClasses = sopClasses == null ? List.of() : List.copyOf(sopClasses);
    }

    /** What WADO-RS returns for each instance; both go through the same reader. */
    public enum FetchMode {
        /** The Part 10 file: {@code multipart/related; type="application/dicom"} (PS3.18 8.7.3.5.2). */
        PART10,
        /** The instance's metadata as DICOM JSON: {@code application/dicom+json} (PS3.18 F.2). */
        JSON
    }

    /**
     * @param type     none, basic or bearer
     * @param username basic auth user
     * @param password basic auth password
     * @param token    bearer token
     */
    public record Auth(@NotNull @DefaultValue("none") AuthType type, String username, String password, String token) {

        @AssertTrue(message = "sr2fhir.dicomweb.auth: basic needs username and password, bearer needs token")
        public boolean isComplete() {
            return switch (type) {
                case NONE -> true;
                case BASIC -> username != null && !username.isBlank() && password != null;
                case BEARER -> token != null && !token.isBlank();
            };
        }
    }

    public enum AuthType { NONE, BASIC, BEARER }

    @AssertTrue(message = "set sr2fhir.dicomweb.url when sr2fhir.dicomweb.enabled is true")
    public boolean isUrlSetWhenEnabled() {
        return !enabled || url != null;
    }

    @AssertTrue(message = "sr2fhir.dicomweb.poll-interval, max-backoff, connect-timeout and read-timeout must be positive")
    public boolean isDurationsPositive() {
        return Stream.of(pollInterval, maxBackoff, connectTimeout, readTimeout)
                .allMatch(d -> d == null || (!d.isNegative() && !d.isZero()));
    }
}
