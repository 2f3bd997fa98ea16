package dev.gossip.spring.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Thin client mode: an application that does not join the gossip cluster but finds its services
 * through the catalog of members it reaches over HTTP (docs/catalog.md).
 */
@ConfigurationProperties(GossipClientProperties.PREFIX)
public class GossipClientProperties {

    public static final String PREFIX = "spring.cloud.gossip.client";

    /**
     * Catalog base URLs of members to watch (e.g. http://10.0.0.7:8080/gossip/catalog). Setting any
     * turns thin client mode on: no gossip node, no socket; discovery and load balancing follow the
     * catalog. Only one has to answer once: the list is then refreshed from the catalog itself.
     */
    private List<URI> catalogUrls = new ArrayList<>();

    /** User name sent as HTTP Basic credentials to secured catalogs. None by default: no credentials. */
    private String username;

    /** Password sent with the user name. None by default (an empty password). */
    private String password;

    /** How long to wait for a connection to a catalog before trying the next one. */
    private Duration connectTimeout = Duration.ofSeconds(1);

    /**
     * How long a watch may stay silent before it is dropped and another catalog is tried: the
     * catalog sends a keep-alive every spring.cloud.gossip.catalog.keep-alive (15 s), so a dead
     * connection is noticed after a few missed ones.
     */
    private Duration keepAliveTimeout = Duration.ofSeconds(45);

    /** The longest wait between attempts when no catalog answers (the first retry is at once). */
    private Duration reconnectDelay = Duration.ofSeconds(2);

    /**
     * How long the application's start waits for the first catalog snapshot, so that its first
     * calls find their services. When none comes, the start goes on and the watch keeps trying.
     */
    private Duration startupTimeout = Duration.ofSeconds(5);

    /** The largest catalog event accepted; a larger one drops the connection. */
    private DataSize maxEventSize = DataSize.ofMegabytes(16);

    public List<URI> getCatalogUrls() {
        return catalogUrls;
    }

    public void setCatalogUrls(List<URI> catalogUrls) {
        this.catalogUrls = catalogUrls;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    public void setKeepAliveTimeout(Duration keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public DataSize getMaxEventSize() {
        return maxEventSize;
    }

    public void setMaxEventSize(DataSize maxEventSize) {
        this.maxEventSize = maxEventSize;
    }
}
