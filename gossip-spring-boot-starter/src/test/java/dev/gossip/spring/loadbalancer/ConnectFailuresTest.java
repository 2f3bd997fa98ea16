package dev.gossip.spring.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.ResourceAccessException;

/** Which failures mean "the connection was never made", and which are I/O failures after it was. */
class ConnectFailuresTest {

    /** Netty's and Apache HttpClient's connect timeouts are recognised by this simple name. */
    static class ConnectTimeoutException extends IOException {
        ConnectTimeoutException(String message) {
            super(message);
        }
    }

    @Test
    void connectFailuresAnywhereInTheCauseChainCount() {
        assertThat(ConnectFailures.isConnectFailure(new ConnectException("Connection refused"))).isTrue();
        assertThat(ConnectFailures.isConnectFailure(
                new ResourceAccessException("I/O error", new ConnectException("Connection refused")))).isTrue();
        assertThat(ConnectFailures.isConnectFailure(new IOException(new HttpConnectTimeoutException("HTTP connect timed out"))))
                .isTrue();
        assertThat(ConnectFailures.isConnectFailure(new NoRouteToHostException("No route to host"))).isTrue();
        assertThat(ConnectFailures.isConnectFailure(new ConnectTimeoutException("connection timed out: /10.0.0.1:8080")))
                .isTrue();
        assertThat(ConnectFailures.isConnectFailure(new SocketTimeoutException("Connect timed out"))).isTrue();
    }

    @Test
    void failuresAfterTheConnectionWasMadeAreIoFailuresButNotConnectFailures() {
        for (Throwable t : new Throwable[] {new SocketTimeoutException("Read timed out"),
                new IOException("Connection reset by peer"), new java.util.concurrent.TimeoutException("no answer in 1 s"),
                new ResourceAccessException("I/O error", new java.net.http.HttpTimeoutException("request timed out"))}) {
            assertThat(ConnectFailures.isConnectFailure(t)).as("%s", t).isFalse();
            assertThat(ConnectFailures.isIoFailure(t)).as("%s", t).isTrue();
        }
    }

    @Test
    void anAnswerWithAnErrorStatusIsNeither() {
        Throwable t = new IllegalStateException("500 Internal Server Error");
        assertThat(ConnectFailures.isConnectFailure(t)).isFalse();
        assertThat(ConnectFailures.isIoFailure(t)).isFalse();
        assertThat(ConnectFailures.isConnectFailure(null)).isFalse();
        assertThat(ConnectFailures.isIoFailure(null)).isFalse();
    }
}
