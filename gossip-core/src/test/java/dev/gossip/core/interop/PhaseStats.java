package dev.gossip.core.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs of one phase on one cluster as one source reported them: the time of each finished
 * run, and how many did not finish (timeout: some member never reported; error: the action failed).
 */
final class PhaseStats {

    final List<Double> millis = new ArrayList<>();
    int timeouts;
    int errors;
    /** Finished runs in which some member reported another kind than expected (failed for a leave). */
    int odd;

    int runs() {
        return millis.size() + timeouts + errors;
    }

    double median() {
        return median(millis);
    }

    /** Nearest rank: the smallest time at least 90 % of the finished runs did not exceed. */
    double p90() {
        List<Double> s = sorted();
        return s.isEmpty() ? Double.NaN : s.get((int) Math.ceil(0.9 * s.size()) - 1);
    }

    double min() {
        List<Double> s = sorted();
        return s.isEmpty() ? Double.NaN : s.get(0);
    }

    double max() {
        List<Double> s = sorted();
        return s.isEmpty() ? Double.NaN : s.get(s.size() - 1);
    }

    List<Double> sorted() {
        List<Double> s = new ArrayList<>(millis);
        s.sort(null);
        return s;
    }

    /** The middle value; the mean of the two middle ones for an even count. */
    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
