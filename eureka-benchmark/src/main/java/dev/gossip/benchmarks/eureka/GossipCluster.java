package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gossip: the sample app's own jar, started as {@code demo.sh} starts it (role profile, HTTP port,
 * node name, gossip port, seeds), with the sample's {@code application.yml} as it is. There is no
 * server: the seeds are the nodes running at launch (the first node seeds itself, as in the demo).
 */
final class GossipCluster extends Cluster {

    GossipCluster(Options options) {
        super(options);
    }

    @Override
    String name() {
        return "gossip";
    }

    @Override
    void startInfrastructure() {
        // nothing: every instance is its own registry
    }

    @Override
    Child app(String name, String role) throws IOException {
        int http = Ports.free();
        int gossip = Ports.free();
        List<String> seeds = new ArrayList<>();
        started.stream().filter(Child::alive).forEach(c -> seeds.add("127.0.0.1:" + c.gossipPort()));
        if (seeds.isEmpty()) {
            seeds.add("127.0.0.1:" + gossip);
        }
        Path jar = options.root().resolve("sample-app/target/sample-app.jar");
        return launch(name, jar, List.of(
                "--spring.profiles.active=" + role,
                "--server.port=" + http,
                "--server.address=127.0.0.1",
                "--spring.cloud.gossip.node-name=" + name,
                "--spring.cloud.gossip.bind-port=" + gossip,
                "--spring.cloud.gossip.seeds=" + String.join(",", seeds)), http, gossip);
    }

    /** The starter's counter of connect-failure retries (both outcomes), from the frontend's metrics. */
    @Override
    OptionalLong resentCalls(Child frontend) {
        return Http.getJson("http://127.0.0.1:" + frontend.httpPort() + "/actuator/metrics/gossip.loadbalancer.retries")
                .map(body -> Pattern.compile("\"value\"\\s*:\\s*([0-9.eE+-]+)").matcher(body))
                .filter(Matcher::find)
                .map(m -> OptionalLong.of(Math.round(Double.parseDouble(m.group(1)))))
                .orElse(OptionalLong.empty());
    }

    /** The killed node's status in the frontend's view ({@code /actuator/gossip}). */
    @Override
    String afterKill(Child killed, Child frontend) {
        return Http.getJson("http://127.0.0.1:" + frontend.httpPort() + "/actuator/gossip")
                .map(body -> {
                    Matcher m = Pattern.compile("\"name\":\"" + Pattern.quote(killed.name())
                            + "\",\"address\":\"[^\"]*\",\"status\":\"([^\"]*)\"").matcher(body);
                    return m.find() ? "the frontend's gossip view has " + killed.name() + " as " + m.group(1)
                            : "the frontend's gossip view no longer lists " + killed.name();
                })
                .orElse("the frontend's gossip view could not be read");
    }
}
