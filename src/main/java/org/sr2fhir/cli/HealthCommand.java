package org.sr2fhir.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * {@code health [<url>]}: one GET, exit 0 on a 2xx answer, 1 otherwise (decision D74). The Docker HEALTHCHECK of the
 * image and of the compose file's FHIR server, whose images have no curl: the JVM is there anyway. Without a URL it
 * asks this machine's readiness on the management port, with the basic credentials of the environment
 * (SPRING_SECURITY_USER_NAME / _PASSWORD) when set, as the port then requires them (decision D65).
 */
public final class HealthCommand {
    static final String NAME = "health";
    public static final String READINESS = "http://127.0.0.1:8081/actuator/health/readiness";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final String readiness;

    HealthCommand(PrintStream out, PrintStream err, Map<String, String> environment) {
        this(out, err, environment, READINESS);
    }

    /** {@code readiness}: the URL asked when none is given. */
    HealthCommand(PrintStream out, PrintStream err, Map<String, String> environment, String readiness) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.readiness = readiness;
    }

    int run(String[] args) {
        if (args.length > 1) {
            err.println("usage: java -jar sr2fhir.jar health [<url>]");
            return ConvertCommand.EXIT_USAGE;
        }
        URI url = URI.create(args.length == 1 ? args[0] : readiness);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET();
        String user = environment.get("SPRING_SECURITY_USER_NAME");
        String password = environment.get("SPRING_SECURITY_USER_PASSWORD");
        if (args.length == 0 && user != null && password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.discarding());
            boolean healthy = response.statusCode() / 100 == 2;
            (healthy ? out : err).println(url + ": HTTP " + response.statusCode());
            return healthy ? ConvertCommand.EXIT_OK : ConvertCommand.EXIT_FAILED;
        } catch (IOException e) {
            err.println(url + ": " + e);
            return ConvertCommand.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ConvertCommand.EXIT_FAILED;
        }
    }
}
