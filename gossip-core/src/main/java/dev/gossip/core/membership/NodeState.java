package dev.gossip.core.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** One member as the failure detector knows it. Mutated only on the node's thread. */
public final class NodeState {

    /** memberlist's NodeStateType; the ordinal is the wire value (§5.1). */
    public enum State { ALIVE, SUSPECT, DEAD, LEFT }

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
