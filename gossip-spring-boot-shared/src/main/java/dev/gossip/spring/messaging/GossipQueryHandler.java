package dev.gossip.spring.messaging;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Answers the gossip queries of one name ({@code serf query whoami}, or
 * {@link GossipMessaging#query}) when declared as a bean. At most one bean per name: a second
 * one fails the start. Names starting with {@code _serf_} are Serf's own and cannot be taken.
 *
 * <p>Runs on a small pool of its own, never the gossip thread, and must finish within
 * {@code spring.cloud.gossip.queries.handler-timeout}; an answer must fit in Serf's response
 * size limit (1024 bytes encoded, with the node name).
 */
public interface GossipQueryHandler {

    /** The query name answered, e.g. {@code whoami}. */
    String queryName();

    /**
     * The answer to send back, or {@code null} to stay silent (this node has nothing to say).
     * An exception leaves the query unanswered; it is logged and counted.
     */
    byte[] respond(GossipQuery query) throws Exception;

    /** A handler answering {@code name} with text, sent as UTF-8. */
    static GossipQueryHandler ofText(String name, Function<GossipQuery, String> answer) {
        return new GossipQueryHandler() {
            @Override
            public String queryName() {
                return name;
            }

            @Override
            public byte[] respond(GossipQuery query) {
                String text = answer.apply(query);
                return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String toString() {
                return "GossipQueryHandler[" + name + "]";
            }
        };
    }
}
