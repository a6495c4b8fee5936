package org.sr2fhir.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.util.FileSystemUtils;
import org.sr2fhir.Prerequisites;

/**
 * A real PostgreSQL (Debian's postgresql package, version 15) of a test's own: a fresh cluster in a temporary folder,
 * listening on 127.0.0.1 on a free port, trust authentication for the user {@code sr2fhir}. PostgreSQL refuses to run
 * as root, so under root the cluster belongs to the OS user {@code postgres} and runs through {@code runuser}.
 * Missing binaries fail the test, they never skip it.
 */
public final class PostgresServer implements AutoCloseable {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String USER = "sr2fhir";

    private final Path folder;
    private final Path data;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path folder, int port, boolean asPostgres) {
        this.folder = folder;
        this.data = folder.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Prerequisites.executable("postgresql", BIN.resolve("initdb"));
        Prerequisites.executable("postgresql", BIN.resolve("pg_ctl"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path folder = Files.createTempDirectory("sr2fhir-postgres");
        if (root) {
            UserPrincipalLookupService users = folder.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(folder, users.lookupPrincipalByName("postgres"));
        }
        PostgresServer server = new PostgresServer(folder, freePort(), root);
        server.run(BIN.resolve("initdb").toString(), "-D", server.data.toString(), "-U", USER, "-A", "trust",
                "-E", "UTF8", "--no-instructions");
        server.run(BIN.resolve("pg_ctl").toString(), "-D", server.data.toString(), "-l", folder.resolve("log").toString(),
                "-o", "-h 127.0.0.1 -p " + server.port + " -k " + folder, "-w", "-t", "60", "start");
        return server;
    }

    /** JDBC URL of the cluster's {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        } finally {
            FileSystemUtils.deleteRecursively(folder);
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asPostgres) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        Path output = Files.createTempFile("postgres-command", ".txt");
        Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(folder.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " failed:\n" + Files.readString(output));
        }
        Files.delete(output);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
