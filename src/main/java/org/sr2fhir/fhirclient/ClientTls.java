package org.sr2fhir.fhirclient;

import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.client.HttpClient;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.HttpClients;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * The TLS side of the FHIR client: an SSLContext from the configured trust store and (mutual TLS) key store, and the
 * Apache HTTP client that HAPI's client factory uses with it.
 */
public final class ClientTls {
    private static final String SETTING = "sr2fhir.fhir.tls.";

    private ClientTls() {
    }

    /**
     * The SSLContext for {@code tls}: the JVM default when no store is set; otherwise the stores' trust and key,
     * the JVM default standing in for whichever of the two is not set. A store that cannot be read, or a wrong
     * password or type, throws IllegalStateException naming the setting, which stops start-up.
     */
    public static SSLContext sslContext(Sr2FhirProperties.Tls tls) {
        boolean trust = hasText(tls.trustStore());
        boolean key = hasText(tls.keyStore());
        try {
            if (!trust && !key) {
                return SSLContext.getDefault();
            }
            TrustManager[] trustManagers = null;
            if (trust) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(load("trust-store", tls.trustStore(), tls.trustStorePassword(), tls.trustStoreType()));
                trustManagers = factory.getTrustManagers();
            }
            KeyManager[] keyManagers = null;
            if (key) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                KeyStore store = load("key-store", tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType());
                try {
                    factory.init(store, password(tls.keyStorePassword()));
                } catch (GeneralSecurityException e) {
                    // PKCS12 stores made by keytool protect the key with the store password
                    throw new IllegalStateException(SETTING + "key-store: cannot use the private key in " + tls.keyStore()
                            + " with " + SETTING + "key-store-password (" + e.getMessage() + ")", e);
                }
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            // null managers = the JVM default for that side
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS from " + SETTING + "*: " + e.getMessage(), e);
        }
    }

    /**
     * An Apache HTTP client as HAPI's ApacheRestfulClientFactory would build it (timeouts, pool size and connection
     * time-to-live read from {@code factory}), but over {@code sslContext}. HAPI builds its own pool with the JVM
     * default SSL socket factory and offers no hook for another one, hence a whole client for
     * {@link IRestfulClientFactory#setHttpClient}. The factory applies its timeouts only to a client it builds
     * itself, and any later timeout or pool setter on it discards the client given here: set those first.
     */
    public static HttpClient httpClient(SSLContext sslContext, IRestfulClientFactory factory) {
        return HttpClients.custom()
                .useSystemProperties()
                .setSSLContext(sslContext)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(factory.getConnectTimeout())
                        .setSocketTimeout(factory.getSocketTimeout())
                        .setConnectionRequestTimeout(factory.getConnectionRequestTimeout())
                        .build())
                .setMaxConnTotal(factory.getPoolMaxTotal())
                .setMaxConnPerRoute(factory.getPoolMaxPerRoute())
                .setConnectionTimeToLive(factory.getConnectionTimeToLive(), TimeUnit.MILLISECONDS)
                .disableCookieManagement()
                .build();
    }

    private static KeyStore load(String setting, String file, String password, String type) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new IllegalStateException(SETTING + setting + ": " + path.toAbsolutePath()
                    + " does not exist or is not readable");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password(password));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // a wrong password shows as an IOException whose cause is UnrecoverableKeyException
            throw new IllegalStateException(SETTING + setting + ": cannot read " + path.toAbsolutePath() + " as " + type
                    + " (" + e.getMessage() + "); check " + SETTING + setting + "-password and -type", e);
        }
    }

    /** A blank password means none: the store is read without an integrity check. */
    private static char[] password(String password) {
        return hasText(password) ? password.toCharArray() : null;
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
