package dev.gossip.core.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** One member as the failure detector knows it. Mutated only on the node's thread. */
public final class NodeState {

    /** memberlist's NodeStateType with its wire values (state.go: StateAlive = 0 ... StateLeft = 3; §5.1). */
    public enum State {
        ALIVE(0), SUSPECT(1), DEAD(2), LEFT(3);

        private final int wire;

        State(int wire) {
            this.wire = wire;
        }

        /** The value push/pull carries. */
        public int wire() {
            return wire;
        }
    }

    final String name;
    InetAddress addr;
    int port;
    byte[] meta;
    /** [PMin, PMax, PCur, DMin, DMax, DCur]. */
    byte[] vsn;
    long incarnation;
    State state;
    /** Scheduler time of the last state change, nanos. */
    long stateChangeNanos;

    NodeState(String name, InetAddress addr, int port, byte[] meta, byte[] vsn) {
        this.name = name;
        this.addr = addr;
        this.port = port;
        this.meta = meta;
        this.vsn = vsn;
        this.state = State.DEAD;
    }

    public String name() {
        return name;
    }

    public InetAddress addr() {
        return addr;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(addr, port);
    }

    public byte[] meta() {
        return meta;
    }

    public byte[] vsn() {
        return vsn;
    }

    public long incarnation() {
        return incarnation;
    }

    public State state() {
        return state;
    }

    /** The highest memberlist protocol version the node understands (PMax). */
    public int protocolMax() {
        return vsn != null && vsn.length >= 2 ? vsn[1] & 0xff : 0;
    }

    @Override
    public String toString() {
        return name + "@" + addr.getHostAddress() + ":" + port + "(" + state + ", inc " + incarnation + ")";
    }
}
