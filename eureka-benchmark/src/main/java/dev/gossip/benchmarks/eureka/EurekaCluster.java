package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Eureka: a standalone server, then the greeter / frontend app on its own Eureka client. Apart from
 * ports and the server's URL, every Eureka and LoadBalancer setting is the default.
 */
final class EurekaCluster extends Cluster {

    private Child server;

    EurekaCluster(Options options) {
        super(options);
    }

    @Override
    String name() {
        return "Eureka";
    }

    @Override
    void startInfrastructure() throws IOException, InterruptedException {
        int port = Ports.free();
        server = launch("eureka-server", jar("eureka-server"),
                List.of("--server.port=" + port, "--server.address=127.0.0.1"), port, 0);
        if (!server.awaitReady(options.setupCap())) {
            throw new IllegalStateException("the Eureka server did not get ready; see " + server.log());
        }
    }

    @Override
    List<Child> infrastructure() {
        return server == null ? List.of() : List.of(server);
    }

    @Override
    Child app(String name, String role) throws IOException {
        int port = Ports.free();
        return launch(name, jar("eureka-apps"), List.of(
                "--spring.profiles.active=" + role,
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--eureka.client.service-url.defaultZone=http://127.0.0.1:" + server.httpPort() + "/eureka/"), port, 0);
    }

    /** Whether the server still lists the killed greeter, and whether self-preservation is on. */
    @Override
    String afterKill(Child killed, Child frontend) {
        String base = "http://127.0.0.1:" + server.httpPort();
        String listed = Http.getJson(base + "/eureka/apps/GREETER")
                .map(body -> body.contains(":greeter:" + killed.httpPort() + "\"") ? "still lists it" : "no longer lists it")
                .orElse("could not be asked");
        // The dashboard's banner when renewals fell under the threshold and expiry stopped.
        String preservation = Http.get(base + "/", "text/html")
                .map(html -> html.contains("EMERGENCY!") ? "on (the dashboard shows EMERGENCY)" : "off")
                .orElse("unknown");
        return "the Eureka server " + listed + " (" + killed.name() + "); self-preservation " + preservation;
    }

    private Path jar(String module) {
        return options.root().resolve("eureka-benchmark/" + module + "/target/" + module + ".jar");
    }
}
