package dev.gossip.spring.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watch stream read with the JDK's HttpClient: each event or comment with the time it arrived. */
final class SseClient implements AutoCloseable {

    /** An event ({@code event}, {@code id}, {@code data}), or a comment (event null, data the comment). */
    record Event(String event, long id, String data, long receivedNanos) {
    }

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    SseClient(HttpClient http, URI uri) {
        try {
            response = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = new Thread(this::read, "sse-" + uri.getPath());
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            long id = -1;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (event != null) {
                        events.add(new Event(event, id, data == null ? null : data.toString(), System.nanoTime()));
                    }
                    event = null;
                    id = -1;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, -1, line, System.nanoTime()));
                } else {
                    String name = line.substring(0, line.indexOf(':'));
                    String value = line.substring(name.length() + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (name) {
                        case "event" -> event = value;
                        case "id" -> id = Long.parseLong(value);
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException closed) {
            // closed by the test or the server
        }
    }

    /** The next event, skipping comments; fails after {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return next(timeout, () -> "");
    }

    /** Like {@link #next(Duration)}, saying what {@code context} tells when it fails. */
    Event next(Duration timeout, java.util.function.Supplier<String> context) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + timeout + (ended(Duration.ZERO) ? " (stream ended) " : " ")
                        + context.get());
            }
            if (e.event() != null) {
                return e;
            }
        }
    }

    /** The next event or comment; null after {@code timeout}. */
    Event nextAny(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True when the server ended the stream. */
    boolean ended(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        return !reader.isAlive();
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
