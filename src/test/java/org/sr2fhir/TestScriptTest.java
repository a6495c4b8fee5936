package org.sr2fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./test.sh}, the README's test command (decision D70): its install step runs apt-get only for missing
 * packages, so a second run (and CI on a prepared machine) installs nothing. dpkg-query, apt-get and systemctl are
 * stand-ins that record their calls; the script's own functions run in bash.
 */
class TestScriptTest {
    private static final Path SCRIPT = Path.of("test.sh").toAbsolutePath();

    @TempDir
    Path bin;

    @Test
    void everythingInstalledRunsNoAptGet() throws Exception {
        Result result = installWithMissing("");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.calls()).isEmpty();
    }

    @Test
    void installsOnlyTheMissingPackagesThenStopsTheirServices() throws Exception {
        Result result = installWithMissing("orthanc chromium-driver");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.calls()).containsExactly(
                "apt-get update -q",
                "apt-get install -y -q --no-install-recommends orthanc chromium-driver",
                "systemctl stop orthanc",
                "systemctl stop postgresql");
    }

    @Test
    void ciRunsExactlyTheReadmesTestCommand() throws IOException {
        assertThat(Files.readString(Path.of(".ci/run"))).contains("\nexec ./test.sh\n");
        assertThat(Files.readString(Path.of("README.md"))).contains("```bash\n./test.sh\n```");
    }

    private record Result(int exitCode, List<String> calls, String stderr) {
    }

    /** Sources test.sh and runs its install step with dpkg-query reporting {@code missing} as not installed. */
    private Result installWithMissing(String missing) throws IOException, InterruptedException {
        Path calls = bin.resolve("calls.log");
        Files.createFile(calls);
        stub("dpkg-query", """
                for package in %s; do [ "${@: -1}" = "$package" ] && exit 1; done
                echo 'install ok installed'
                """.formatted(missing));
        stub("apt-get", "echo \"apt-get $*\" >> " + calls);
        stub("systemctl", "echo \"systemctl $*\" >> " + calls);
        stub("sudo", "exec \"$@\"");
        Path services = Files.createDirectories(bin.resolve("no-init.d"));
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "source '" + SCRIPT + "' && SERVICE_SCRIPTS='" + services + "' && install_prerequisites");
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readAllLines(calls), stderr);
    }

    private void stub(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
