package dev.gossip.lab;

import java.util.Map;

/**
 * The line a lab process prints every 100 ms, one per sample, and the harness parses:
 * {@code V <epochMillis> <memberTime> <name>=<status>/<incarnation>/<ip:port> ...}. Statuses are
 * Serf's ({@code alive}, {@code leaving}, {@code left}, {@code failed}) plus {@code suspect} for an
 * alive member the failure detector suspects; -1 stands for what the process cannot tell.
 */
public final class ViewLine {

    public static final String PREFIX = "V ";

    private ViewLine() {
    }

    /** One member: its status, incarnation and address. */
    public record Entry(String status, long incarnation, String address) {}

    public static String format(long epochMillis, long memberTime, Map<String, Entry> view) {
        StringBuilder b = new StringBuilder(32 + view.size() * 40).append(PREFIX).append(epochMillis)
                .append(' ').append(memberTime);
        view.forEach((name, e) -> b.append(' ').append(name).append('=').append(e.status()).append('/')
                .append(e.incarnation()).append('/').append(e.address()));
        return b.toString();
    }
}
