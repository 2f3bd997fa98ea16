package dev.gossip.benchmarks.eureka;

/**
 * One request of the driver's loop through the frontend: when it was sent and answered (driver's
 * nanoTime), the HTTP status ({@code -1} when the frontend itself could not be reached or did not
 * answer in time) and which greeter answered (its instance id; null when none did).
 */
record Call(long startNanos, long endNanos, int status, String answeredBy) {

    boolean ok() {
        return status == 200 && answeredBy != null;
    }

    boolean startedIn(long fromNanos, long toNanos) {
        return startNanos >= fromNanos && startNanos <= toNanos;
    }
}
