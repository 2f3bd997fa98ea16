package dev.gossip.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Headless Chromium opens the dashboard of a running three-node sample cluster, sees all three
 * members alive with their service and zone, then sees a stopped greeter turn left (or failed).
 * Screenshots go to {@code sample-app/target/screenshots/}.
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
            // A member is alive before its registration tags (service, zone) reach the frontend:
            // wait for the rows as asserted, not just for three alive ones.
            Table shown = waitFor(Duration.ofSeconds(30), "three alive members, each with its service and zone-a",
                    t -> t.rows().size() == 3 && t.rows().values().stream()
                            .allMatch(r -> r.status().equals("alive") && !r.service().isEmpty()
                                    && r.zone().equals("zone-a")));

            assertThat(shown.node()).isEqualTo("frontend-1");
            assertThat(shown.rows()).containsOnlyKeys("frontend-1", "greeter-1", "greeter-2");
            Row g2 = shown.rows().get("greeter-2");
            assertThat(g2.service()).isEqualTo("greeter");
            assertThat(g2.zone()).isEqualTo("zone-a");
            assertThat(g2.address()).startsWith("127.0.0.1:");
            assertThat(g2.statusText()).isEqualTo("alive");
            assertThat(shown.rows().get("frontend-1").service()).isEqualTo("frontend");
            screenshot("dashboard-three-alive.png");

            SampleCluster.stop(greeter2);
            Table after = waitFor(Duration.ofSeconds(45), "greeter-2 left or failed, greeter-1 alive",
                    t -> t.rows().containsKey("greeter-2") && t.rows().containsKey("greeter-1")
                            && Set.of("left", "failed").contains(t.rows().get("greeter-2").status())
                            && t.rows().get("greeter-1").status().equals("alive"));
            assertThat(after.rows().get("greeter-2").statusText()).isIn("left", "failed");
            assertThat(after.rows().get("greeter-1").statusText()).isEqualTo("alive");
            screenshot("dashboard-greeter-2-stopped.png");
        }
    }

    /** One member's row as the page shows it. */
    record Row(String status, String statusText, String address, String service, String zone) {}

    /** The whole table, by member name, and the node the page is served by. */
    record Table(String node, Map<String, Row> rows) {}

    /**
     * Reads the table in one script run. The page redraws it every second; a script runs between
     * redraws, never during one, so this never sees half a table or a detached row.
     */
    @SuppressWarnings("unchecked")
    private Table table() {
        Map<String, Object> raw = (Map<String, Object>) browser.executeScript("""
                return {
                  node: document.getElementById("node").textContent,
                  rows: [...document.querySelectorAll("tbody tr[data-name]")].map(r => ({
                    name: r.dataset.name, status: r.dataset.status, statusText: r.cells[2].textContent.trim(),
                    address: r.cells[1].textContent.trim(), service: r.cells[3].textContent.trim(),
                    zone: r.cells[4].textContent.trim() }))
                };""");
        Map<String, Row> rows = new TreeMap<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) raw.get("rows")) {
            rows.put((String) r.get("name"), new Row((String) r.get("status"), (String) r.get("statusText"),
                    (String) r.get("address"), (String) r.get("service"), (String) r.get("zone")));
        }
        return new Table((String) raw.get("node"), rows);
    }

    /** The first table that satisfies {@code condition}; on timeout, the message shows the last one seen. */
    private Table waitFor(Duration timeout, String what, Predicate<Table> condition) {
        AtomicReference<Table> last = new AtomicReference<>();
        return new WebDriverWait(browser, timeout, Duration.ofMillis(200))
                .withMessage(() -> what + "; last seen: " + last.get())
                .until(b -> {
                    Table t = table();
                    last.set(t);
                    return condition.test(t) ? t : null;
                });
    }

    private void screenshot(String file) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(file), png);
        System.out.println("screenshot: " + dir.resolve(file).toAbsolutePath());
    }
}
