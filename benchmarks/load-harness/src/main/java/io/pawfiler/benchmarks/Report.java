package io.pawfiler.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import org.HdrHistogram.Histogram;

/** Prints results as they come (plain text, pasteable into an issue note) and collects the same figures as JSON. */
final class Report {

    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /** One measured scenario. {@code serverCpuMillis} is null without --server-pid. */
    record Scenario(String name, String workload, int players, int rate, int warmupSeconds, int durationSeconds,
                    boolean health, List<OpenLoopStream> streams, long clientCpuNanos, Integer serverPid,
                    Long serverCpuMillis) {
    }

    private final PrintStream out = System.out;
    private final String runId;
    private final Options options;
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private String idleJson = "null";
    private final List<String> scenarioJson = new ArrayList<>();

    Report(String runId, Options options) {
        this.runId = runId;
        this.options = options;
    }

    void header() {
        out.printf("Pawfiler SubmitAnswer open-loop load, run %s, %s, %d CPUs, Java %s%n", runId, startedAt,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println("options: " + options.describe());
        out.println("latency: ms from each request's INTENDED start (open loop) to its end; completed/s: OK responses"
                + " arriving inside the measured window / its length; errors by gRPC status");
        out.flush();
    }

    void idle(int calls, Histogram health, Histogram questionById) {
        out.printf("%nidle server, one call at a time on a warmed channel (%d calls each):%n", calls);
        out.println("  " + idleLine("grpc.health.v1.Health/Check", health));
        out.println("  " + idleLine("quiz.QuizService/GetQuestionById", questionById));
        out.flush();
        idleJson = "{\"calls\":" + calls + ",\"health_check\":" + percentilesJson(health)
                + ",\"get_question_by_id\":" + percentilesJson(questionById) + "}";
    }

    void scenario(Scenario s) {
        out.printf("%nscenario %s: %d fresh players, %s; %d/s per stream, warm-up %d s, measured %d s; mode: %s%n",
                s.name(), s.players(), s.workload(), s.rate(), s.warmupSeconds(), s.durationSeconds(), mode(s));
        out.printf("  %-13s %7s %7s %7s %11s %8s %8s %8s %8s %8s%n",
                "stream", "sent", "ok", "errors", "completed/s", "p50", "p90", "p99", "p99.9", "max");
        for (OpenLoopStream stream : s.streams()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-13s %7d %7d %7d %11.1f",
                    stream.name, stream.sent.sum(), stream.ok.sum(), stream.errorCount(),
                    stream.okInWindow.sum() / (double) s.durationSeconds()));
            for (double p : PERCENTILES) {
                row.append(String.format(Locale.ROOT, " %8s", ms(stream.latency.getValueAtPercentile(p))));
            }
            out.println(row.append(String.format(Locale.ROOT, " %8s", ms(stream.latency.getMaxValue()))));
        }
        for (OpenLoopStream stream : s.streams()) {
            out.printf("  %s errors: %s%n", stream.name, errorsText(stream));
        }
        for (OpenLoopStream stream : s.streams()) {
            out.printf(Locale.ROOT, "  %s client send lag (included above) p99 %s ms, max %s ms; max in flight %d%s%n",
                    stream.name, ms(stream.sendLag.getValueAtPercentile(99)), ms(stream.sendLag.getMaxValue()),
                    stream.maxInFlight(), stream.stillInFlight() > 0
                            ? "; STILL IN FLIGHT at the end: " + stream.stillInFlight() : "");
        }
        out.printf(Locale.ROOT, "  client CPU (measured phase): %d ms = %.1f ms per s%n", s.clientCpuNanos() / 1_000_000,
                s.clientCpuNanos() / 1e6 / s.durationSeconds());
        long answers = s.streams().getFirst().ok.sum();
        if (s.serverCpuMillis() != null) {
            out.printf(Locale.ROOT, "  server CPU (pid %d, measured phase): %d ms over %d completed answers = %s ms per "
                            + "answer (%s)%n", s.serverPid(), s.serverCpuMillis(), answers,
                    perAnswer(s.serverCpuMillis(), answers), s.health()
                            ? "includes the health stream's cost; use --no-health for SubmitAnswer alone"
                            : "SubmitAnswer alone");
        }
        out.flush();
        scenarioJson.add(scenarioJson(s, answers));
    }

    void writeJson(Path file) throws IOException {
        String json = "{\"run\":" + quote(runId) + ",\"started_at\":" + quote(startedAt.toString())
                + ",\"cpus\":" + Runtime.getRuntime().availableProcessors()
                + ",\"options\":" + quote(options.describe()) + ",\"latency_from\":\"intended_start\""
                + ",\"idle\":" + idleJson + ",\"scenarios\":[" + String.join(",", scenarioJson) + "]}\n";
        Files.writeString(file, json);
        out.println("\nJSON written to " + file.toAbsolutePath());
    }

    private static String mode(Scenario s) {
        return s.health() ? "SubmitAnswer + health" : "SubmitAnswer alone (--no-health)";
    }

    static String idleLine(String name, Histogram h) {
        return String.format(Locale.ROOT, "%-34s p50 %s ms  p99 %s ms  max %s ms", name,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    static String errorsText(OpenLoopStream stream) {
        Map<String, Long> errors = stream.errorsByCode();
        String warmup = stream.warmupFailures.sum() > 0 ? " (warm-up failures, not counted: "
                + stream.warmupFailures.sum() + ")" : "";
        if (errors.isEmpty()) {
            return "none" + warmup;
        }
        StringJoiner text = new StringJoiner(", ");
        errors.forEach((code, count) -> text.add(code + ": " + count + " (first: \""
                + stream.firstErrorDetail.getOrDefault(code, "") + "\")"));
        return text + warmup;
    }

    private String scenarioJson(Scenario s, long answers) {
        StringJoiner streams = new StringJoiner(",", "[", "]");
        for (OpenLoopStream stream : s.streams()) {
            StringJoiner errors = new StringJoiner(",", "{", "}");
            StringJoiner firstErrors = new StringJoiner(",", "{", "}");
            stream.errorsByCode().forEach((code, count) -> {
                errors.add(quote(code) + ":" + count);
                firstErrors.add(quote(code) + ":" + quote(stream.firstErrorDetail.getOrDefault(code, "")));
            });
            streams.add("{\"name\":" + quote(stream.name) + ",\"sent\":" + stream.sent.sum()
                    + ",\"ok\":" + stream.ok.sum() + ",\"errors\":" + errors + ",\"first_error\":" + firstErrors
                    + ",\"warmup_failures\":" + stream.warmupFailures.sum()
                    + ",\"completed_per_s\":" + fixed(stream.okInWindow.sum() / (double) s.durationSeconds())
                    + ",\"latency_ms\":" + percentilesJson(stream.latency)
                    + ",\"send_lag_ms\":" + percentilesJson(stream.sendLag)
                    + ",\"max_in_flight\":" + stream.maxInFlight()
                    + ",\"still_in_flight\":" + stream.stillInFlight() + "}");
        }
        return "{\"name\":" + quote(s.name()) + ",\"workload\":" + quote(s.workload()) + ",\"players\":" + s.players()
                + ",\"rate_per_stream\":" + s.rate() + ",\"warmup_s\":" + s.warmupSeconds()
                + ",\"duration_s\":" + s.durationSeconds() + ",\"mode\":" + quote(mode(s))
                + ",\"streams\":" + streams + ",\"client_cpu_ms\":" + s.clientCpuNanos() / 1_000_000
                + ",\"server_pid\":" + s.serverPid() + ",\"server_cpu_ms\":" + s.serverCpuMillis()
                + ",\"server_cpu_ms_per_answer\":" + (s.serverCpuMillis() == null ? "null"
                : perAnswer(s.serverCpuMillis(), answers)) + "}";
    }

    static String percentilesJson(Histogram h) {
        StringJoiner json = new StringJoiner(",", "{", "}");
        json.add("\"count\":" + h.getTotalCount());
        for (double p : PERCENTILES) {
            json.add("\"p" + (p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)) + "\":"
                    + ms(h.getValueAtPercentile(p)));
        }
        return json.add("\"max\":" + ms(h.getMaxValue())).toString();
    }

    /** Histograms hold microseconds. */
    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private static String perAnswer(long cpuMillis, long answers) {
        return answers == 0 ? "null" : String.format(Locale.ROOT, "%.3f", cpuMillis / (double) answers);
    }

    static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
