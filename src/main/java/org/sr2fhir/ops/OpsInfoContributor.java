package org.sr2fhir.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.core.io.ClassPathResource;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * {@code /actuator/info}: the IG package the Bundles are validated against (name and version), the FHIR server's URL
 * without credentials and its FHIR version. The build's own version comes from Spring Boot's build-info.
 */
public class OpsInfoContributor implements InfoContributor {
    static final String IG_PACKAGE = "ig/hl7.fhir.uv.dicom-sr.tgz";

    private final FhirServerProbe probe;
    private final String fhirUrl;
    private final Map<String, Object> ig;

    public OpsInfoContributor(FhirServerProbe probe, Sr2FhirProperties properties) {
        this.probe = probe;
        this.fhirUrl = withoutCredentials(properties.fhir().url());
        this.ig = igPackage();
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("ig", ig);
        FhirServerProbe.Answer answer = probe.answer();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("url", fhirUrl);
        server.put("fhirVersion", answer.up() ? answer.fhirVersion() : "unknown (" + answer.error() + ")");
        if (answer.software() != null) {
            server.put("software", answer.software());
        }
        builder.withDetail("fhirServer", server);
    }

    private static Map<String, Object> igPackage() {
        try (InputStream in = new ClassPathResource(IG_PACKAGE).getInputStream()) {
            NpmPackage npm = NpmPackage.fromPackage(in);
            return Map.of("package", npm.name(), "version", npm.version(), "fhirVersion", npm.fhirVersion());
        } catch (IOException e) {
            return Map.of("error", "cannot read " + IG_PACKAGE + ": " + e.getMessage());
        }
    }

    /** The URL without a user:password part, for health and info output. */
    static String withoutCredentials(URI url) {
        if (url == null || url.getUserInfo() == null) {
            return String.valueOf(url);
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(),
                    url.getFragment()).toString();
        } catch (URISyntaxException e) {
            return url.getScheme() + "://" + url.getHost();
        }
    }
}
