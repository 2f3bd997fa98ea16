package dev.gossip.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Headless Chromium opens the dashboard of a running three-node sample cluster, sees all three
 * members alive, then sees a stopped greeter turn left (or failed). Screenshots go to
 * {@code sample-app/target/screenshots/}.
 */
class DashboardBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void browser() throws IOException {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            String msg = "Chromium or chromedriver missing (apt-get install -y chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + "; CI=true, so this is a failure");
            }
            System.err.println("SKIPPED: " + msg);
            assumeTrue(false, msg);
        }
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,720", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void dashboardShowsTheClusterLiveAndAStoppedGreeterLeaving() throws IOException {
        try (SampleCluster cluster = new SampleCluster()) {
            ConfigurableApplicationContext frontend = cluster.start("frontend", "frontend-1");
            cluster.start("greeter", "greeter-1");
            ConfigurableApplicationContext greeter2 = cluster.start("greeter", "greeter-2");

            browser.get(SampleCluster.url(frontend, "/gossip"));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200));
            wait.until(b -> b.findElements(By.cssSelector("tbody tr[data-status='alive']")).size() == 3);

            List<String> names = browser.findElements(By.cssSelector("tbody tr")).stream()
                    .map(r -> r.getAttribute("data-name")).toList();
            assertThat(names).containsExactlyInAnyOrder("frontend-1", "greeter-1", "greeter-2");
            WebElement g2 = row("greeter-2");
            assertThat(g2.getText()).contains("greeter").contains("zone-a").contains("127.0.0.1");
            assertThat(browser.findElement(By.id("node")).getText()).isEqualTo("frontend-1");
            screenshot("dashboard-three-alive.png");

            SampleCluster.stop(greeter2);
            wait.withTimeout(Duration.ofSeconds(45)).until(b -> {
                String status = row("greeter-2").getAttribute("data-status");
                return status.equals("left") || status.equals("failed");
            });
            assertThat(row("greeter-2").findElement(By.cssSelector(".status")).getText()).isIn("left", "failed");
            assertThat(row("greeter-1").getAttribute("data-status")).isEqualTo("alive");
            screenshot("dashboard-greeter-2-stopped.png");
        }
    }

    private WebElement row(String name) {
        return browser.findElement(By.cssSelector("tbody tr[data-name='" + name + "']"));
    }

    private void screenshot(String file) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(file), png);
        System.out.println("screenshot: " + dir.resolve(file).toAbsolutePath());
    }
}
