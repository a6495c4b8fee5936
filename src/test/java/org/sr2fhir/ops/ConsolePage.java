package org.sr2fhir.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;
import org.sr2fhir.Prerequisites;

/**
 * The web console in a real browser: Debian's chromium driven by its chromedriver (headless, a fresh profile), read
 * and clicked as a person would.
 */
final class ConsolePage implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private ConsolePage(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static ConsolePage open(String url) throws IOException {
        Prerequisites.executable("chromium", CHROMIUM);
        Prerequisites.executable("chromium-driver", CHROMEDRIVER);
        Path profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.get(url);
        return new ConsolePage(driver, profile);
    }

    /** Waits until the row of {@code name} shows {@code status} (the page polls the API every 2 s). */
    void awaitStatus(String name, String status) {
        read(Duration.ofSeconds(90), () -> name + " never showed " + status,
                () -> row(name).findElement(By.className("status")).getText().equals(status) ? Boolean.TRUE : null);
    }

    String reason(String name) {
        return read(Duration.ofSeconds(10), () -> "no reason for " + name,
                () -> row(name).findElement(By.className("reason")).getText());
    }

    boolean hasResend(String name) {
        // a count, not a Boolean: the wait would take false for "not yet"
        return read(Duration.ofSeconds(10), () -> "no row " + name,
                () -> row(name).findElements(By.className("resend")).size()) > 0;
    }

    void clickResend(String name) {
        read(Duration.ofSeconds(10), () -> "no Resend button for " + name, () -> {
            row(name).findElement(By.className("resend")).click();
            return true;
        });
    }

    long total(String status) {
        return read(Duration.ofSeconds(10), () -> "no total " + status,
                () -> Long.parseLong(driver.findElement(By.id("total-" + status)).getText()));
    }

    /**
     * Reads (or clicks) until it gives a value: the page redraws its tables at each poll, so an element found a
     * moment ago may be gone (or not there yet); the wait tries again then.
     */
    private <T> T read(Duration timeout, Supplier<String> failure, Supplier<T> action) {
        return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> failure.get() + "; page:\n" + driver.findElement(By.tagName("body")).getText())
                .until(d -> action.get());
    }

    private WebElement row(String name) {
        List<WebElement> rows = driver.findElements(By.cssSelector("#reports tbody tr"));
        // NoSuchElementException: the wait in read() tries again
        return rows.stream().filter(r -> name.equals(r.getDomAttribute("data-name"))).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no row " + name));
    }

    @Override
    public void close() {
        driver.quit();
        try {
            FileSystemUtils.deleteRecursively(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
