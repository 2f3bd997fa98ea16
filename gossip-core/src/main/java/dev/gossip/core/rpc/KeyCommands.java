package dev.gossip.core.rpc;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.SerfMessageType;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code install-key}, {@code use-key}, {@code remove-key} and {@code list-keys}: an internal
 * {@code _serf_*-key} query to every member (our own node answers it too and changes its own
 * keyring), tallied as serf keymanager.go:handleKeyRequest and streamKeyResp do: it waits until
 * every live member answered or the query ends.
 */
final class KeyCommands {

    private final GossipNode node;

    KeyCommands(GossipNode node) {
        this.node = node;
    }

    /** serf's keyResponse tally. */
    private static final class Tally {
        final Map<String, String> messages = new TreeMap<>();
        final Map<String, Integer> keys = new TreeMap<>();
        final Set<String> from = new HashSet<>();
        int numErr;
        int numResp;
    }

    byte[] run(RpcCommand command, long seq, String base64Key) {
        Tally tally = new Tally();
        int numNodes = 0;
        String err;
        try {
            byte[] key = command == RpcCommand.LIST_KEYS ? new byte[0] : Base64.getDecoder().decode(base64Key);
            byte[] request = new MsgWriter().rawByte(SerfMessageType.KEY_REQUEST).map(1).str("Key").raw(key)
                    .toByteArray();
            numNodes = liveMembers();
            QueryHandle h = node.queryAsync("_serf_" + command.wire, request, QueryParams.defaults())
                    .get(30, TimeUnit.SECONDS);
            int expected = numNodes;
            CompletableFuture<Void> enough = new CompletableFuture<>();
            h.onResponse(r -> add(tally, r, expected, enough));
            h.responses().forEach(r -> add(tally, r, expected, enough));
            h.finished().thenRun(() -> enough.complete(null));
            enough.get(60, TimeUnit.SECONDS);
            synchronized (tally) {
                err = tally.numErr != 0 ? tally.numErr + "/" + numNodes + " nodes reported failure"
                        : tally.numResp != numNodes ? tally.numResp + "/" + numNodes + " nodes reported success" : "";
            }
        } catch (Exception e) {
            err = RpcCommands.message(e);
        }
        synchronized (tally) {
            ResponseWriter w = ResponseWriter.header(seq, err).map(5).str("Keys");
            if (command == RpcCommand.LIST_KEYS) {
                w.map(tally.keys.size());
                tally.keys.forEach((k, n) -> w.str(k).uint(n));
            } else {
                w.bin(null); // serf leaves the map nil for changes
            }
            return w.str("Messages").stringMap(tally.messages).str("NumErr").uint(tally.numErr)
                    .str("NumNodes").uint(numNodes).str("NumResp").uint(tally.numResp).toByteArray();
        }
    }

    /** memberlist NumMembers: members that are not dead or left. */
    private int liveMembers() {
        int n = 0;
        for (Member m : node.members()) {
            if (m.status() == MemberStatus.ALIVE || m.status() == MemberStatus.LEAVING) {
                n++;
            }
        }
        return n;
    }

    private static void add(Tally t, QueryHandle.Response r, int expected, CompletableFuture<Void> enough) {
        synchronized (t) {
            if (!t.from.add(r.from())) {
                return;
            }
            t.numResp++;
            if (t.numResp >= expected) {
                enough.complete(null); // the tally is read under this lock, after this response
            }
            byte[] p = r.payload();
            try {
                if (p.length < 1 || p[0] != SerfMessageType.KEY_RESPONSE) {
                    t.messages.put(r.from(), "Invalid key query response type");
                    t.numErr++;
                    return;
                }
                MsgReader in = new MsgReader(p, 1, p.length - 1);
                boolean result = false;
                String message = "";
                List<String> keys = List.of();
                int fields = in.map();
                for (int i = 0; i < fields; i++) {
                    switch (in.str()) {
                        case "Result" -> result = in.bool();
                        case "Message" -> message = in.str();
                        case "Keys" -> keys = in.stringList();
                        default -> in.skip();
                    }
                }
                if (!result) {
                    t.messages.put(r.from(), message);
                    t.numErr++;
                } else if (!message.isEmpty()) {
                    t.messages.put(r.from(), message);
                }
                keys.forEach(k -> t.keys.merge(k, 1, Integer::sum));
            } catch (MalformedMessageException e) {
                t.messages.put(r.from(), "Failed to decode key query response: " + e.getMessage());
                t.numErr++;
            }
        }
    }
}
