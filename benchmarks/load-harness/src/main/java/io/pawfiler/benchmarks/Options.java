package io.pawfiler.benchmarks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The harness's command line: {@code --name=value} (and {@code --json <file>}), nothing else. */
record Options(List<String> scenarios, int rate, int durationSeconds, int warmupSeconds, Integer players,
               InetSocketAddress auth, InetSocketAddress quiz, int channels, long deadlineMs, int idleCalls,
               Integer serverPid, boolean health, Path json) {

    static final String USAGE = """
            usage: SubmitAnswerLoad [--scenario=spread|hot|both] [--rate=500] [--duration=60] [--warmup=10]
                                    [--players=auto] [--auth=127.0.0.1:8081] [--quiz=127.0.0.1:8082] [--channels=4]
                                    [--deadline-ms=5000] [--idle-calls=200] [--server-pid=<pid>] [--no-health]
                                    [--json=<file>]""";

    private static final Set<String> KNOWN = Set.of("scenario", "rate", "duration", "warmup", "players", "auth",
            "quiz", "channels", "deadline-ms", "idle-calls", "server-pid", "no-health", "json", "help");

    static Options parse(String[] args) {
        Map<String, String> values = flags(args, KNOWN);
        String scenario = values.getOrDefault("scenario", "both");
        List<String> scenarios = switch (scenario) {
            case "spread", "hot" -> List.of(scenario);
            case "both" -> List.of("spread", "hot");
            default -> throw new IllegalArgumentException("--scenario must be spread, hot or both");
        };
        String pid = values.get("server-pid");
        String json = values.get("json");
        return new Options(scenarios,
                positive(values, "rate", 500),
                positive(values, "duration", 60),
                atLeastZero(values, "warmup", 10),
                values.getOrDefault("players", "auto").equals("auto") ? null : positive(values, "players", 0),
                loopback(values.getOrDefault("auth", "127.0.0.1:8081")),
                loopback(values.getOrDefault("quiz", "127.0.0.1:8082")),
                positive(values, "channels", 4),
                positive(values, "deadline-ms", 5000),
                atLeastZero(values, "idle-calls", 200),
                pid == null ? null : Integer.valueOf(pid),
                !values.containsKey("no-health"),
                json == null || json.equals("true") ? null : Path.of(json));
    }

    /**
     * {@code --name=value} (a bare {@code --name} is "true"; {@code --json <file>} also works) into a map, for the
     * harnesses' own option sets. Unknown names are refused; {@code --help} throws an empty-message
     * IllegalArgumentException (the caller prints its usage).
     */
    static Map<String, String> flags(String[] args, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option: --" + name);
            }
            String value = eq >= 0 ? arg.substring(eq + 1)
                    : name.equals("json") && i + 1 < args.length ? args[++i] : "true";
            values.put(name, value);
        }
        if (values.containsKey("help")) {
            throw new IllegalArgumentException("");
        }
        return values;
    }

    /**
     * host:port, refused unless every address the host names is a loopback address: this tool generates real
     * load and must never be pointed at someone else's server. The resolved literal address is used from then on.
     */
    static InetSocketAddress loopback(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostPort);
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("refusing " + hostPort + ": not a loopback address ("
                            + address.getHostAddress() + "); this harness only targets 127.0.0.1 / ::1");
                }
            }
            return new InetSocketAddress(addresses[0], port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }

    String describe() {
        return "rate=" + rate + "/s duration=" + durationSeconds + "s warmup=" + warmupSeconds + "s players="
                + (players == null ? "auto" : players) + " channels=" + channels + " deadline=" + deadlineMs + "ms idle-calls=" + idleCalls
                + " health=" + (health ? "on" : "off") + " auth=" + text(auth) + " quiz=" + text(quiz);
    }

    static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static int positive(Map<String, String> values, String name, int fallback) {
        int value = atLeastZero(values, name, fallback);
        if (value == 0) {
            throw new IllegalArgumentException("--" + name + " must be > 0");
        }
        return value;
    }

    static int atLeastZero(Map<String, String> values, String name, int fallback) {
        String raw = values.get(name);
        int value;
        try {
            value = raw == null ? fallback : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got " + raw, e);
        }
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must be >= 0");
        }
        return value;
    }
}
