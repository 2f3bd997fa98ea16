package dev.gossip.core.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PortBindExceptionTest {

    @Test
    void explainsAnAddressThatIsNotLocal() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 7946);

        PortBindException e = new PortBindException(address, "TCP",
                new BindException("Cannot assign requested address"));

        assertThat(e).hasMessage("Cannot bind gossip port 192.0.2.1:7946 (TCP): the address does"
                + " not belong to this host. Set a bind address of a local network interface"
                + " (or 0.0.0.0).");
    }

    @Test
    void explainsAPrivilegedPort() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("::1"), 80);

        PortBindException e = new PortBindException(address, "UDP",
                new java.net.SocketException("Permission denied"));

        assertThat(e).hasMessage("Cannot bind gossip port [0:0:0:0:0:0:0:1]:80 (UDP): permission"
                + " denied. Ports below 1024 need privileges; set a bind port above 1023.");
    }

    @Test
    void passesOtherCausesThrough() {
        PortBindException e = new PortBindException(new InetSocketAddress(7946), "TCP",
                new IllegalStateException("event loop shut down"));

        assertThat(e.reason()).isEqualTo("event loop shut down");
        assertThat(e).hasMessageEndingWith("Check the bind address and bind port.");
    }
}
