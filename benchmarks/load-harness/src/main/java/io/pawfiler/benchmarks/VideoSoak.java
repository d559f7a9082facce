package io.pawfiler.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.SignupRequest;
import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.api.video.GetAnalysisResultRequest;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;

/**
 * Soak benchmark of video-analysis-service under {@code ./pawfiler up}: {@code --sequential} analyses one after
 * another, then {@code --concurrent} at a time for {@code --rounds} rounds, each through the REST upload the frontend
 * uses and the gRPC result it polls. After every finished analysis it samples the service's RSS, so the curve shows
 * whether native memory plateaus. Every upload must answer 202 and every task must reach COMPLETED; anything else
 * is counted and printed. Loopback only; bounded in count and time.
 */
public final class VideoSoak {

    private static final String USAGE = """
            usage: VideoSoak --clips=a.mp4,b.mp4 [--server-pid=N] [--sequential=50] [--concurrent=4] [--rounds=5]
                             [--auth=127.0.0.1:8081] [--video=127.0.0.1:8084] [--per-user=5] [--task-timeout-s=300]
            """;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");

    /** One analysis as the soak saw it. */
    private record Run(int number, String phase, String clip, int uploadStatus, String stage, String verdict,
                       long uploadMs, long totalMs, int processingMs, long rssAfterKb, String error) {
    }

    private final InetSocketAddress auth;
    private final InetSocketAddress video;
    private final Integer serverPid;
    private final int perUser;
    private final Duration taskTimeout;
    private final List<Path> clips;
    private final ManagedChannel authChannel;
    private final ManagedChannel videoChannel;
    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1 as browsers send to an http:// origin (no h2c upgrade of a large request body)
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> tokens = new ArrayList<>();
    private int analysesOnToken;

    private VideoSoak(Map<String, String> args) {
        this.auth = Options.loopback(args.getOrDefault("auth", "127.0.0.1:8081"));
        this.video = Options.loopback(args.getOrDefault("video", "127.0.0.1:8084"));
        this.serverPid = args.containsKey("server-pid") ? Integer.valueOf(args.get("server-pid")) : null;
        this.perUser = Integer.parseInt(args.getOrDefault("per-user", "5"));
        this.taskTimeout = Duration.ofSeconds(Long.parseLong(args.getOrDefault("task-timeout-s", "300")));
        if (!args.containsKey("clips")) {
            throw new IllegalArgumentException("--clips is required\n" + USAGE);
        }
        this.clips = java.util.Arrays.stream(args.get("clips").split(",")).map(Path::of).toList();
        for (Path clip : clips) {
            if (!Files.isRegularFile(clip)) {
                throw new IllegalArgumentException("no such clip " + clip);
            }
        }
        this.authChannel = NettyChannelBuilder.forAddress(auth).usePlaintext().build();
        this.videoChannel = NettyChannelBuilder.forAddress(video).usePlaintext().build();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.print(USAGE);
                System.exit(2);
            }
            args.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        VideoSoak soak = new VideoSoak(args);
        int sequential = Integer.parseInt(args.getOrDefault("sequential", "50"));
        int concurrent = Integer.parseInt(args.getOrDefault("concurrent", "4"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "5"));
        try {
            soak.run(sequential, concurrent, rounds);
        } finally {
            soak.authChannel.shutdownNow();
            soak.videoChannel.shutdownNow();
        }
    }

    private void run(int sequential, int concurrent, int rounds) throws Exception {
        List<Run> runs = new ArrayList<>();
        System.out.printf("Pawfiler video soak, run %s, %s, clips %s, server pid %s, RSS before: %s%n", runId,
                java.time.Instant.now(), clips, serverPid, mb(rssKb()));
        System.out.printf("%4s %-10s %-14s %6s %-10s %-12s %9s %9s %9s %8s%n", "#", "phase", "clip", "upload",
                "stage", "verdict", "upload ms", "total ms", "pipe ms", "RSS MB");
        int number = 0;
        for (int i = 0; i < sequential; i++) {
            Run run = analyse(++number, "sequential", clips.get(i % clips.size()), token());
            print(run);
            runs.add(run);
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        try {
            for (int round = 0; round < rounds; round++) {
                List<Future<Run>> batch = new ArrayList<>();
                for (int j = 0; j < concurrent; j++) {
                    int n = ++number;
                    Path clip = clips.get(n % clips.size());
                    String token = token();
                    batch.add(pool.submit(() -> analyse(n, concurrent + " at once", clip, token)));
                }
                for (Future<Run> future : batch) {
                    Run run = future.get();
                    print(run);
                    runs.add(run);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        summarise(runs);
    }

    /** A fresh account every {@code --per-user} analyses: a free account's monthly quota. */
    private synchronized String token() {
        if (tokens.isEmpty() || analysesOnToken >= perUser) {
            String email = "soak-" + runId + "-" + tokens.size() + "@example.test";
            String token = AuthServiceGrpc.newBlockingStub(authChannel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .signup(SignupRequest.newBuilder().setEmail(email).setPassword("video-soak-password-1")
                            .setNickname("soak" + tokens.size()).build())
                    .getToken();
            tokens.add(token);
            analysesOnToken = 0;
        }
        analysesOnToken++;
        return tokens.getLast();
    }

    private Run analyse(int number, String phase, Path clip, String token) {
        long started = System.nanoTime();
        int status;
        String body;
        try {
            HttpResponse<String> response = upload(clip, token);
            status = response.statusCode();
            body = response.body();
        } catch (IOException | InterruptedException e) {
            return new Run(number, phase, clip.getFileName().toString(), -1, "-", "-", ms(started), ms(started), 0,
                    rssKb(), "upload: " + e);
        }
        long uploadMs = ms(started);
        Matcher id = TASK_ID.matcher(body);
        if (status != 202 || !id.find()) {
            return new Run(number, phase, clip.getFileName().toString(), status, "-", "-", uploadMs, uploadMs, 0,
                    rssKb(), "upload answered " + status + ": " + body.substring(0, Math.min(200, body.length())));
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        var stub = VideoAnalysisServiceGrpc.newBlockingStub(videoChannel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        long deadline = System.nanoTime() + taskTimeout.toNanos();
        DeepfakeReport report = null;
        String error = null;
        while (System.nanoTime() < deadline) {
            try {
                report = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getAnalysisResult(GetAnalysisResultRequest.newBuilder().setTaskId(id.group(1)).build());
                if ("COMPLETED".equals(report.getStage()) || "FAILED".equals(report.getStage())) {
                    break;
                }
            } catch (StatusRuntimeException e) {
                error = "GetAnalysisResult: " + e.getStatus();
            }
            sleep(200);
        }
        String stage = report == null ? "-" : report.getStage();
        if (!"COMPLETED".equals(stage) && error == null) {
            error = "FAILED".equals(stage) ? "failed: " + report.getFailureReason() : "not finished in " + taskTimeout;
        }
        return new Run(number, phase, clip.getFileName().toString(), status, stage,
                report == null ? "-" : report.getVerdict(), uploadMs, ms(started),
                report == null ? 0 : report.getProcessingTimeMs(), rssKb(), error);
    }

    /** multipart/form-data with the one field the frontend sends, {@code video}. */
    private HttpResponse<String> upload(Path clip, String token) throws IOException, InterruptedException {
        String boundary = "soak" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\""
                + clip.getFileName() + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(clip));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + Options.text(video) + "/upload-video"))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void summarise(List<Run> runs) {
        long completed = runs.stream().filter(r -> "COMPLETED".equals(r.stage())).count();
        long badUploads = runs.stream().filter(r -> r.uploadStatus() != 202).count();
        System.out.printf("%nanalyses: %d, COMPLETED: %d, uploads not 202: %d%n", runs.size(), completed, badUploads);
        runs.stream().filter(r -> r.error() != null).forEach(r -> System.out.printf("  #%d %s%n", r.number(), r.error()));
        for (String phase : runs.stream().map(Run::phase).distinct().toList()) {
            List<Run> of = runs.stream().filter(r -> r.phase().equals(phase) && "COMPLETED".equals(r.stage())).toList();
            if (of.isEmpty()) {
                continue;
            }
            System.out.printf("%-11s pipeline ms p50 %d max %d; upload-to-result ms p50 %d max %d%n", phase,
                    percentile(of.stream().mapToLong(Run::processingMs).toArray(), 50),
                    of.stream().mapToLong(Run::processingMs).max().orElse(0),
                    percentile(of.stream().mapToLong(Run::totalMs).toArray(), 50),
                    of.stream().mapToLong(Run::totalMs).max().orElse(0));
        }
        if (serverPid != null && runs.size() >= 4) {
            long[] rss = runs.stream().mapToLong(Run::rssAfterKb).toArray();
            int quarter = rss.length / 4;
            long firstQuarterMax = java.util.Arrays.stream(rss, 0, quarter).max().orElse(0);
            long lastQuarterMax = java.util.Arrays.stream(rss, rss.length - quarter, rss.length).max().orElse(0);
            System.out.printf("RSS MB: after #1 %s, max of the first quarter %s, max of the last quarter %s, overall max"
                            + " %s, final %s%n", mb(rss[0]), mb(firstQuarterMax), mb(lastQuarterMax),
                    mb(java.util.Arrays.stream(rss).max().orElse(0)), mb(rss[rss.length - 1]));
        }
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void print(Run run) {
        System.out.printf("%4d %-10s %-14s %6d %-10s %-12s %9d %9d %9d %8s%n", run.number(), run.phase(),
                run.clip().length() > 14 ? run.clip().substring(0, 14) : run.clip(), run.uploadStatus(), run.stage(),
                run.verdict(), run.uploadMs(), run.totalMs(), run.processingMs(), mb(run.rssAfterKb()));
        System.out.flush();
    }

    /** VmRSS of the service, in kB; 0 without --server-pid. */
    private long rssKb() {
        if (serverPid == null) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", serverPid.toString(), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1;  // the service is gone: that shows in the curve
        }
        return 0;
    }

    private static String mb(long kb) {
        return kb <= 0 ? "-" : Long.toString(kb / 1024);
    }

    private static long ms(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
