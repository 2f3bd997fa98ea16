package dev.gossip.spring.support;

/**
 * The gossip node cannot start because of its configuration. Carries the property to change, so
 * the failure analyzer can say exactly what to do.
 */
public class GossipStartupException extends RuntimeException {

    private final String property;
    private final String action;

    public GossipStartupException(String property, String description, String action, Throwable cause) {
        super(description, cause);
        this.property = property;
        this.action = action;
    }

    public String getProperty() {
        return property;
    }

    public String getAction() {
        return action;
    }
}
