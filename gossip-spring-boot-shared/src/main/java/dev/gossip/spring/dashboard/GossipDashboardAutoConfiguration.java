package dev.gossip.spring.dashboard;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.actuate.ClusterView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * A live cluster dashboard at {@code spring.cloud.gossip.dashboard.path} (default
 * {@code /gossip}), off unless {@code spring.cloud.gossip.dashboard.enabled=true}: one static page
 * that polls {@code <path>/members} every second. Plain HTML/CSS/JS, no build step.
 */
@AutoConfiguration(after = GossipAutoConfiguration.class)
@ConditionalOnBean(GossipNode.class)
@ConditionalOnProperty(value = "spring.cloud.gossip.dashboard.enabled", havingValue = "true")
public class GossipDashboardAutoConfiguration {

    static String page() {
        try (InputStream in = GossipDashboardAutoConfiguration.class.getResourceAsStream("dashboard.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String path(GossipProperties p) {
        String path = p.getDashboard().getPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(org.springframework.web.servlet.function.RouterFunction.class)
    static class Servlet {
        @Bean
        org.springframework.web.servlet.function.RouterFunction<org.springframework.web.servlet.function.ServerResponse>
                gossipDashboardRoutes(GossipNode node, GossipProperties properties) {
            String path = path(properties);
            String html = page();
            return org.springframework.web.servlet.function.RouterFunctions.route()
                    .GET(path, r -> org.springframework.web.servlet.function.ServerResponse.ok()
                            .contentType(MediaType.TEXT_HTML).body(html))
                    .GET(path + "/members", r -> org.springframework.web.servlet.function.ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON).body(ClusterView.of(node)))
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(org.springframework.web.reactive.function.server.RouterFunction.class)
    static class Reactive {
        @Bean
        org.springframework.web.reactive.function.server.RouterFunction<org.springframework.web.reactive.function.server.ServerResponse>
                gossipDashboardReactiveRoutes(GossipNode node, GossipProperties properties) {
            String path = path(properties);
            String html = page();
            return org.springframework.web.reactive.function.server.RouterFunctions.route()
                    .GET(path, r -> org.springframework.web.reactive.function.server.ServerResponse.ok()
                            .contentType(MediaType.TEXT_HTML).bodyValue(html))
                    .GET(path + "/members", r -> org.springframework.web.reactive.function.server.ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(ClusterView.of(node)))
                    .build();
        }
    }
}
