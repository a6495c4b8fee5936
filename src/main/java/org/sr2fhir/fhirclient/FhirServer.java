package org.sr2fhir.fhirclient;

import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.List;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sr2fhir.config.Sr2FhirProperties;
import org.sr2fhir.r4.R4Renderer;

/**
 * The FHIR server sr2fhir delivers to, and the FHIR version it speaks (decision D35): {@code sr2fhir.fhir.version}
 * R5 or R4 as configured, or with {@code auto} the version its CapabilityStatement ({@code GET [base]/metadata})
 * declares, read at start, again on the first delivery after an outage ({@link #forget()}), and cached in between. A
 * server that declares neither 4.0.x nor 5.0.x is refused, naming what it said. The one place that reads the
 * server's metadata (the ops probe asks it too), and the one that knows the server's bundle entry limit (D42).
 */
public class FhirServer {
    private static final Logger LOG = LoggerFactory.getLogger(FhirServer.class);
    /** Azure Health Data Services' FHIR service refuses transaction Bundles of more than 500 entries (D42). */
    static final int AZURE_MAX_ENTRIES = 500;

    /** The server's answer to {@code GET [base]/metadata}. */
    public record Metadata(String fhirVersion, String software) {
    }

    private final IGenericClient client;
    private final Sr2FhirProperties.FhirVersionSetting setting;
    private final Integer maxEntriesPerBundle;
    private final String url;
    private final R4Renderer r4 = new R4Renderer();
    private volatile FhirVersionEnum spoken;
    private volatile Metadata metadata;

    public FhirServer(IGenericClient client, Sr2FhirProperties.Fhir settings) {
        this.client = client;
        this.setting = settings.version();
        this.maxEntriesPerBundle = settings.maxEntriesPerBundle();
        this.url = settings.url().toString();
        this.spoken = switch (setting) {
            case R5 -> FhirVersionEnum.R5;
            case R4 -> FhirVersionEnum.R4;
            case AUTO -> null;
        };
    }

    /** {@code GET [base]/metadata}; throws the client's exception when the server cannot be reached. */
    public Metadata readMetadata() {
        CapabilityStatement statement = client.capabilities().ofType(CapabilityStatement.class).execute();
        Metadata answer = new Metadata(statement.hasFhirVersion() ? statement.getFhirVersion().toCode() : "unknown",
                statement.hasSoftware() ? statement.getSoftware().getName() + " " + statement.getSoftware().getVersion()
                        : null);
        metadata = answer;
        return answer;
    }

    /**
     * The version to speak; with {@code auto} read from the server when not known yet.
     *
     * @throws UnsupportedFhirServerException the server declares neither FHIR 4.0.x nor 5.0.x
     */
    public FhirVersionEnum version() {
        FhirVersionEnum version = spoken;
        if (version != null) {
            return version;
        }
        Metadata answer;
        try {
            answer = readMetadata();
        } catch (BaseServerResponseException e) {
            if (e instanceof FhirClientConnectionException || e.getStatusCode() >= 500) {
                throw e; // a server starting up or failing: transient, retried like a failed delivery
            }
            return fallBackToR5(e.getStatusCode() + " " + e.getMessage());
        } catch (DataFormatException | ClassCastException e) {
            return fallBackToR5("no CapabilityStatement: " + e.getMessage());
        }
        version = versionOf(answer.fhirVersion());
        if (version == null) {
            throw new UnsupportedFhirServerException(url, answer.fhirVersion());
        }
        if (spoken != version) {
            LOG.info("FHIR server {} declares FHIR {} ({}): sending FHIR {} (sr2fhir.fhir.version=auto)", url,
                    answer.fhirVersion(), answer.software(), version == FhirVersionEnum.R4 ? "R4" : "R5");
        }
        spoken = version;
        return version;
    }

    /** A server that does not show a CapabilityStatement is sent sr2fhir's own version, R5 (decision D35). */
    private FhirVersionEnum fallBackToR5(String why) {
        LOG.warn("FHIR server {}: GET metadata did not say its FHIR version ({}); sending FHIR R5"
                + " (set sr2fhir.fhir.version to R4 or R5 to skip this check)", url, why);
        spoken = FhirVersionEnum.R5;
        return FhirVersionEnum.R5;
    }

    /**
     * At start with {@code auto}: reads the server's version, so that a server speaking neither R4 nor R5 stops
     * start-up; an unreachable server is read again before the first
     * delivery.
     */
    public void checkAtStart() {
        if (setting != Sr2FhirProperties.FhirVersionSetting.AUTO) {
            return;
        }
        try {
            version();
        } catch (UnsupportedFhirServerException e) {
            throw e;
        } catch (RuntimeException e) {
            // the start-up line (FhirServerStartLog, decision D73) says the server did not answer: one line per event
            LOG.debug("FHIR server {} did not answer GET metadata at start ({}); its FHIR version is read before the"
                    + " first delivery", url, e.getMessage());
        }
    }

    /** With {@code auto}: the server was unreachable; its version is read again before the next delivery. */
    public void forget() {
        if (setting == Sr2FhirProperties.FhirVersionSetting.AUTO) {
            spoken = null;
        }
    }

    /** The report's parts as the server takes them: the R5 Bundles themselves, or their R4 rendering (D35). */
    public List<? extends IBaseBundle> render(List<Bundle> parts) {
        return version() == FhirVersionEnum.R4 ? r4.render(parts) : parts;
    }

    /** The server's answer to an R4 transaction, as R5 (the delivery log and the journal read statuses and locations). */
    public Bundle responseAsR5(org.hl7.fhir.r4.model.Bundle response) {
        return (Bundle) VersionConvertorFactory_40_50.convertResource(response);
    }

    /**
     * Decision D42: {@code max-entries-per-bundle} when set (0 = never split); unset, the limit of the known server
     * (Azure Health Data Services 500; HAPI and Google Cloud Healthcare none by entries), else no split.
     */
    public int maxEntriesPerBundle() {
        if (maxEntriesPerBundle != null) {
            return maxEntriesPerBundle;
        }
        Metadata answer = metadata;
        boolean azure = url.contains(".azurehealthcareapis.com")
                || answer != null && answer.software() != null && answer.software().contains("Microsoft");
        return azure ? AZURE_MAX_ENTRIES : 0;
    }

    /** 4.0.x → R4, 5.0.x → R5, anything else → null. */
    static FhirVersionEnum versionOf(String fhirVersion) {
        if (fhirVersion == null) {
            return null;
        }
        if (fhirVersion.startsWith("4.0.")) {
            return FhirVersionEnum.R4;
        }
        if (fhirVersion.startsWith("5.0.")) {
            return FhirVersionEnum.R5;
        }
        return null;
    }

    /** The server speaks a FHIR version sr2fhir cannot write. */
    public static final class UnsupportedFhirServerException extends IllegalStateException {
        public UnsupportedFhirServerException(String url, String declared) {
            super("the FHIR server " + url + " declares FHIR version '" + declared
                    + "' in its CapabilityStatement; sr2fhir writes FHIR R5 (5.0.x) or R4 (4.0.x) only"
                    + " (set sr2fhir.fhir.version to R4 or R5 to skip this check)");
        }
    }
}
