package io.pawfiler.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per endpoint: how many inputs were tried and what came back; and every broken rule, with the input. */
final class FuzzReport {

    private final Map<String, Map<String, Integer>> histograms = new TreeMap<>();
    private final Map<String, Integer> totals = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    synchronized void count(String endpoint, String status) {
        histograms.computeIfAbsent(endpoint, e -> new TreeMap<>()).merge(status, 1, Integer::sum);
        totals.merge(status, 1, Integer::sum);
    }

    synchronized void fail(String endpoint, String input, String problem) {
        failures.add(endpoint + " [" + input + "]: " + problem);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized int inputs(String endpoint) {
        return histograms.getOrDefault(endpoint, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized int endpoints() {
        return histograms.size();
    }

    synchronized int inputs() {
        return totals.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized String table(String title) {
        StringBuilder out = new StringBuilder(title).append('\n');
        int width = histograms.keySet().stream().mapToInt(String::length).max().orElse(10);
        histograms.forEach((endpoint, histogram) -> out.append(String.format("  %-" + width + "s %5d  %s%n", endpoint,
                histogram.values().stream().mapToInt(Integer::intValue).sum(), histogram)));
        out.append(String.format("  %-" + width + "s %5d  %s%n", "TOTAL (" + histograms.size() + " endpoints)",
                inputs(), totals));
        return out.toString();
    }
}
