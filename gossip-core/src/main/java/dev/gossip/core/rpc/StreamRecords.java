package dev.gossip.core.rpc;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Query;

/** The records streams send, each after a header with the subscribing request's Seq (serf ipc_*_stream.go). */
final class StreamRecords {

    private StreamRecords() {}

    /** serf's memberEventRecord, userEventRecord or queryEventRecord. */
    static byte[] event(long seq, GossipEvent e, long queryId) {
        ResponseWriter w = ResponseWriter.header(seq, "");
        if (e instanceof GossipEvent.MemberEvent m) {
            w.map(2).str("Event").str(m.type().serfName()).str("Members").members(m.members());
        } else if (e instanceof GossipEvent.UserEvent u) {
            w.map(5).str("Coalesce").bool(u.coalesce()).str("Event").str("user").str("LTime").uint(u.ltime())
                    .str("Name").str(u.name()).str("Payload").bin(u.payload());
        } else {
            Query q = (Query) e;
            w.map(5).str("Event").str("query").str("ID").uint(queryId).str("LTime").uint(q.ltime())
                    .str("Name").str(q.name()).str("Payload").bin(q.payload());
        }
        return w.toByteArray();
    }

    /** serf's logRecord. */
    static byte[] log(long seq, String line) {
        return ResponseWriter.header(seq, "").map(1).str("Log").str(line).toByteArray();
    }

    /** serf's queryRecord: Type ack, response or done. */
    static byte[] queryAnswer(long seq, String type, String from, byte[] payload) {
        return ResponseWriter.header(seq, "").map(3).str("From").str(from).str("Payload").bin(payload)
                .str("Type").str(type).toByteArray();
    }
}
