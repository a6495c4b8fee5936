package org.sr2fhir.fhirclient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed key pairs made with the JDK's keytool for TLS tests: the server's (valid for 127.0.0.1, so hostname
 * verification passes), the client's for mutual TLS, and a trust store for each side holding the other's
 * certificate. Every store is PKCS12 with {@link #PASSWORD}.
 */
public record TestKeyStores(Path serverKeys, Path clientTrust, Path clientKeys, Path serverTrust) {
    public static final String PASSWORD = "test-store-pass";

    public static TestKeyStores create(Path dir) throws IOException, InterruptedException {
        TestKeyStores stores = new TestKeyStores(dir.resolve("server.p12"), dir.resolve("client-trust.p12"),
                dir.resolve("client.p12"), dir.resolve("server-trust.p12"));
        keyPair(stores.serverKeys, "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keyPair(stores.clientKeys, "CN=sr2fhir-test-client", null);
        trust(stores.serverKeys, dir.resolve("server.cer"), stores.clientTrust);
        trust(stores.clientKeys, dir.resolve("client.cer"), stores.serverTrust);
        return stores;
    }

    /** The server side's context; with {@code trustClient} it trusts the client's certificate (for needClientAuth). */
    public SSLContext serverContext(boolean trustClient) throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(serverKeys), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(serverTrust));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trustClient ? trust.getTrustManagers() : null, null);
        return context;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        }
    }

    private static void keyPair(Path store, String dname, String extension) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "key", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", dname));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        keytool(store, args);
    }

    private static void trust(Path keyStore, Path certificate, Path trustStore) throws IOException, InterruptedException {
        keytool(keyStore, List.of("-exportcert", "-alias", "key", "-file", certificate.toString()));
        keytool(trustStore, List.of("-importcert", "-noprompt", "-alias", "peer", "-file", certificate.toString()));
    }

    private static void keytool(Path store, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(args);
        command.addAll(List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + args.get(0) + " failed: " + output);
        }
    }
}
