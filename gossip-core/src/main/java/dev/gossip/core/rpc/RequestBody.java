package dev.gossip.core.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded request header or body with Go's decoding rules: a missing or nil field is the zero
 * value, str and bin are interchangeable, unknown fields are ignored. A field of the wrong type
 * fails the request, as Go's decoder does ("decode failed").
 */
final class RequestBody {

    /** A field holds a value of the wrong msgpack type. */
    static final class BadFieldException extends RuntimeException {
        BadFieldException(String field, Object value) {
            super("decode failed: field " + field + " has " + (value == null ? "nil" : value.getClass().getSimpleName()));
        }
    }

    static final RequestBody EMPTY = new RequestBody(Map.of());

    private final Map<String, Object> fields;

    private RequestBody(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** @throws BadFieldException when {@code decoded} is not a map (or nil) */
    static RequestBody of(Object decoded) {
        if (decoded == null) {
            return EMPTY;
        }
        if (decoded instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) m;
            return new RequestBody(fields);
        }
        throw new BadFieldException("(body)", decoded);
    }

    String string(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return "";
        }
        if (v instanceof byte[] raw) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        throw new BadFieldException(field, v);
    }

    /** A []byte field; null when absent or nil (serf tells nil from empty for payloads only in logs). */
    byte[] bytes(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] raw) {
            return raw;
        }
        throw new BadFieldException(field, v);
    }

    long integer(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return 0;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new BadFieldException(field, v);
    }

    boolean bool(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        throw new BadFieldException(field, v);
    }

    List<String> strings(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new BadFieldException(field, v);
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof byte[] raw)) {
                throw new BadFieldException(field, o);
            }
            out.add(new String(raw, StandardCharsets.UTF_8));
        }
        return out;
    }

    Map<String, String> stringMap(String field) {
        Object v = fields.get(field);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new BadFieldException(field, v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object val = e.getValue();
            if (val != null && !(val instanceof byte[])) {
                throw new BadFieldException(field, val);
            }
            out.put((String) e.getKey(), val == null ? "" : new String((byte[]) val, StandardCharsets.UTF_8));
        }
        return out;
    }
}
