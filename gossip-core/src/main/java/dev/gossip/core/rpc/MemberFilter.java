package dev.gossip.core.rpc;

import dev.gossip.core.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code members-filtered}: tag values, status and name must match anchored regular expressions
 * (serf ipc.go:filterMembers compiles {@code ^expr$} and searches, so {@code a|b} is {@code ^a} or
 * {@code b$}, as there). A tag filter also applies to members
 * without the tag, matched against "" as Go's map lookup gives; an empty status or name matches
 * everything.
 */
final class MemberFilter {

    private final Map<String, Pattern> tags = new LinkedHashMap<>();
    private final Pattern status;
    private final Pattern name;

    /** @throws IllegalArgumentException with serf's "Failed to compile regex" text */
    MemberFilter(Map<String, String> tagExprs, String statusExpr, String nameExpr) {
        tagExprs.forEach((k, v) -> tags.put(k, compile(v)));
        status = statusExpr.isEmpty() ? null : compile(statusExpr);
        name = nameExpr.isEmpty() ? null : compile(nameExpr);
    }

    private static Pattern compile(String expr) {
        try {
            return Pattern.compile("^" + expr + "$");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Failed to compile regex: " + e.getDescription(), e);
        }
    }

    boolean matches(Member m) {
        for (Map.Entry<String, Pattern> t : tags.entrySet()) {
            String v = m.tags().get(t.getKey());
            if (!t.getValue().matcher(v == null ? "" : v).find()) {
                return false;
            }
        }
        return (status == null || status.matcher(m.status().serfName()).find())
                && (name == null || name.matcher(m.name()).find());
    }

    List<Member> apply(List<Member> members) {
        List<Member> out = new ArrayList<>();
        for (Member m : members) {
            if (matches(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
