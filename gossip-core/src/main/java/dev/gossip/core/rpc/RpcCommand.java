package dev.gossip.core.rpc;

import java.util.HashMap;
import java.util.Map;

/** The commands of serf's RPC protocol version 1 (serf ipc.go), and whether a body follows the header. */
enum RpcCommand {
    HANDSHAKE("handshake", true),
    AUTH("auth", true),
    EVENT("event", true),
    FORCE_LEAVE("force-leave", true),
    JOIN("join", true),
    MEMBERS("members", false),
    MEMBERS_FILTERED("members-filtered", true),
    STREAM("stream", true),
    STOP("stop", true),
    MONITOR("monitor", true),
    LEAVE("leave", false),
    INSTALL_KEY("install-key", true),
    USE_KEY("use-key", true),
    REMOVE_KEY("remove-key", true),
    LIST_KEYS("list-keys", false),
    TAGS("tags", true),
    QUERY("query", true),
    RESPOND("respond", true),
    STATS("stats", false),
    GET_COORDINATE("get-coordinate", true);

    private static final Map<String, RpcCommand> BY_WIRE = new HashMap<>();

    static {
        for (RpcCommand c : values()) {
            BY_WIRE.put(c.wire, c);
        }
    }

    final String wire;
    /** A request body follows the header (serf's client sends one, even if empty). */
    final boolean hasBody;

    RpcCommand(String wire, boolean hasBody) {
        this.wire = wire;
        this.hasBody = hasBody;
    }

    /** The command named {@code wire}, or null. */
    static RpcCommand of(String wire) {
        return BY_WIRE.get(wire);
    }
}
