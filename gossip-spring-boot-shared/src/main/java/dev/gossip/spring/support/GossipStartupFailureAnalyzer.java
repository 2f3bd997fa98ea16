package dev.gossip.spring.support;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link GossipStartupException} into Boot's "APPLICATION FAILED TO START" report. */
public class GossipStartupFailureAnalyzer extends AbstractFailureAnalyzer<GossipStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, GossipStartupException cause) {
        return new FailureAnalysis("The gossip node could not start: " + cause.getMessage()
                + "\n\n    Property: " + cause.getProperty(),
                cause.getAction() + " (property '" + cause.getProperty() + "')", cause);
    }
}
