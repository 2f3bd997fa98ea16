package dev.gossip.spring.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events (the WHATWG HTML "event stream" format) from a stream: {@code event:},
 * {@code id:} and {@code data:} lines up to a blank line make one event; comment lines (a leading
 * colon, the catalog's keep-alives) and unknown fields are skipped. Bounded: a line or an event
 * longer than {@code maxEventBytes} is a {@link TooLargeException}, not an unbounded buffer.
 */
final class ServerSentEventReader {

    /** One event: its type ("message" when the stream named none), last id, and data lines joined by \n. */
    record Event(String type, String id, String data) {
    }

    /** An event or line larger than the bound: the connection is dropped and started again. */
    static final class TooLargeException extends IOException {
        TooLargeException(int bound) {
            super("a server-sent event is larger than " + bound + " bytes");
        }
    }

    private final InputStream in;
    private final int maxEventBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private boolean afterCarriageReturn;

    private String type;
    private String id;
    private StringBuilder data;
    private int eventBytes;

    ServerSentEventReader(InputStream in, int maxEventBytes) {
        this.in = in;
        this.maxEventBytes = maxEventBytes;
    }

    /** The next event, or null at the end of the stream (an event cut off by the end is discarded). */
    Event next() throws IOException {
        String l;
        while ((l = readLine()) != null) {
            if (l.isEmpty()) {
                if (data != null) {
                    Event e = new Event(type == null ? "message" : type, id, data.toString());
                    type = null;
                    data = null;
                    eventBytes = 0;
                    return e;
                }
                type = null;
                eventBytes = 0;
                continue;
            }
            eventBytes += l.length();
            if (eventBytes > maxEventBytes) {
                throw new TooLargeException(maxEventBytes);
            }
            field(l);
        }
        return null;
    }

    private void field(String l) {
        if (l.charAt(0) == ':') {
            return; // a comment: the keep-alive
        }
        int colon = l.indexOf(':');
        String name = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + (colon + 1 < l.length() && l.charAt(colon + 1) == ' ' ? 2 : 1));
        switch (name) {
            case "event" -> type = value;
            case "id" -> id = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields: nothing the catalog sends
            }
        }
    }

    /** A line without its end (\n, \r\n or \r), or null at the end of the stream. */
    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return null;
                }
            }
            byte b = buffer[position++];
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                afterCarriageReturn = b == '\r';
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == line.length) {
                if (length >= maxEventBytes) {
                    throw new TooLargeException(maxEventBytes);
                }
                line = Arrays.copyOf(line, Math.min(maxEventBytes, length * 2));
            }
            line[length++] = b;
        }
    }
}
