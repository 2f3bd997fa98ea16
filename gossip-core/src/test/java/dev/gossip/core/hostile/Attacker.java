package dev.gossip.core.hostile;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A sender that is not a member of the cluster. Every socket it opens is bound to 127.0.0.2 (all of
 * 127/8 is loopback on Linux), so per-source limits can tell it from the cluster on 127.0.0.1. It
 * counts the bytes it sends and the CPU time of the threads it runs ({@link #spawn}); {@link
 * #close()} stops those threads and closes every socket.
 */
final class Attacker implements AutoCloseable {

    static final InetAddress ADDRESS = loopback(2);

    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final DatagramChannel udp;
    private final List<Closeable> sockets = new CopyOnWriteArrayList<>();
    /** Threads that end by themselves at the attack's deadline, and {@link #onReceive} threads that run until close. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Thread> receivers = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    Attacker() throws IOException {
        udp = DatagramChannel.open();
        udp.bind(new InetSocketAddress(ADDRESS, 0));
        sockets.add(udp);
    }

    static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The attacker's UDP socket: where it sends from, and where ghosts it invents are reached. */
    InetSocketAddress udpAddress() {
        try {
            return (InetSocketAddress) udp.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long bytesSent() {
        return bytesSent.sum();
    }

    /** CPU time of the threads {@link #spawn} ran, counted as each ends. */
    long cpuNanos() {
        return cpuNanos.sum();
    }

    boolean running() {
        return !closed;
    }

    void send(InetSocketAddress to, byte[] packet) {
        try {
            bytesSent.add(udp.send(ByteBuffer.wrap(packet), to));
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Hands every datagram sent to {@link #udpAddress()} to {@code handler}, on a thread of its own, until close. */
    void onReceive(BiConsumer<byte[], InetSocketAddress> handler) {
        start("receive", receivers, () -> {
            ByteBuffer buf = ByteBuffer.allocate(65_536);
            while (!closed) {
                buf.clear();
                InetSocketAddress from;
                try {
                    from = (InetSocketAddress) udp.receive(buf);
                } catch (IOException e) {
                    return; // closed
                }
                buf.flip();
                byte[] packet = new byte[buf.remaining()];
                buf.get(packet);
                handler.accept(packet, from);
            }
        });
    }

    /** A blocking TCP connection from 127.0.0.2, with Nagle off so that each write is a segment. */
    SocketChannel connect(InetSocketAddress to) throws IOException {
        SocketChannel channel = SocketChannel.open();
        sockets.add(channel);
        try {
            channel.bind(new InetSocketAddress(ADDRESS, 0));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(to);
        } catch (IOException e) {
            release(channel);
            throw e;
        }
        return channel;
    }

    /** Writes what the channel takes now (all of it, if blocking) and counts it. */
    int write(SocketChannel channel, ByteBuffer bytes) throws IOException {
        int n = channel.write(bytes);
        bytesSent.add(n);
        return n;
    }

    /**
     * One stream exchange: connects, writes all of {@code message}, then reads what comes back
     * until the victim closes or {@code deadlineNanos} passes. A reset is an answer too.
     *
     * @return the bytes the victim sent back
     */
    long exchange(InetSocketAddress to, byte[] message, long deadlineNanos) {
        long received = 0;
        SocketChannel channel = null;
        try {
            channel = connect(to);
            ByteBuffer out = ByteBuffer.wrap(message);
            while (out.hasRemaining()) {
                write(channel, out);
            }
            Socket socket = channel.socket();
            byte[] in = new byte[8192];
            for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                int n = socket.getInputStream().read(in);
                if (n < 0) {
                    break;
                }
                received += n;
            }
        } catch (IOException e) {
            // refused, reset or timed out: the exchange is over either way
        } finally {
            if (channel != null) {
                release(channel);
            }
        }
        return received;
    }

    void release(SocketChannel channel) {
        sockets.remove(channel);
        try {
            channel.close();
        } catch (IOException e) {
            // closing what the victim already closed
        }
    }

    /** Runs {@code loop} on a thread of its own; a failure (other than after close) fails {@link #close()}. */
    void spawn(String what, Loop loop) {
        start(what, threads, loop);
    }

    private void start(String what, List<Thread> into, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                if (!closed) {
                    failure.compareAndSet(null, e);
                }
            } finally {
                cpuNanos.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            }
        }, "hostile-attacker-" + what);
        t.setDaemon(true);
        into.add(t);
        t.start();
    }

    /**
     * On a thread of its own, runs {@code step} for {@code i} = 0, 1, … at most {@code count}
     * times, {@code perSecond} times a second (back to back when 0), until {@code deadlineNanos}
     * or close.
     */
    void repeat(String what, long count, double perSecond, long deadlineNanos, Step step) {
        spawn(what, () -> {
            long start = System.nanoTime();
            for (long i = 0; i < count && before(deadlineNanos) && !closed; i++) {
                if (perSecond > 0) {
                    pace(start, i, perSecond);
                }
                step.run(i);
            }
        });
    }

    /** Waits for the spawned threads to end by themselves, at most until {@code deadlineNanos}. */
    void awaitThreads(long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Sleeps until the {@code n}-th event of a steady {@code perSecond} rate begun at {@code startNanos}. */
    static void pace(long startNanos, long n, double perSecond) {
        long due = startNanos + (long) (n * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    static void sleepUntil(long deadlineNanos) {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static boolean before(long deadlineNanos) {
        return System.nanoTime() - deadlineNanos < 0;
    }

    /** Stops every thread and closes every socket; rethrows what a spawned thread failed with. Once. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        for (Closeable socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
        for (Thread t : Stream.concat(threads.stream(), receivers.stream()).toList()) {
            t.join(TimeUnit.SECONDS.toMillis(5));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop");
            }
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("An attacker thread failed", f);
        }
    }

    @FunctionalInterface
    interface Loop {
        void run() throws Exception;
    }

    @FunctionalInterface
    interface Step {
        void run(long i) throws Exception;
    }
}
