package io.pawfiler.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.pawfiler.api.auth.AuthServiceGrpc;
import io.pawfiler.api.auth.LoginRequest;
import io.pawfiler.api.auth.SignupRequest;
import io.pawfiler.api.community.CommunityServiceGrpc;
import io.pawfiler.api.community.FeedResponse;
import io.pawfiler.api.community.GetFeedRequest;
import io.pawfiler.api.community.GetPostRequest;
import io.pawfiler.api.community.Post;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import static io.pawfiler.benchmarks.Report.errorsText;
import static io.pawfiler.benchmarks.Report.ms;
import static io.pawfiler.benchmarks.Report.percentilesJson;
import static io.pawfiler.benchmarks.Report.quote;
import static io.pawfiler.benchmarks.SubmitAnswerLoad.bearer;
import static io.pawfiler.benchmarks.SubmitAnswerLoad.channel;
import static io.pawfiler.benchmarks.SubmitAnswerLoad.healthObserver;

/**
 * Open-loop gRPC load on community {@code GetFeed} (first page), {@code GetFeed} with a search query, and
 * {@code GetPost}, one scenario after another, each with the same server's gRPC health check as a no-op baseline
 * stream at the same rate. Meant for a database seeded by benchmarks/community-queries/seed-1m-posts.sql. One
 * account is signed up (gRPC {@code auth.AuthService/Signup}, as SubmitAnswerLoad does) and logs in again before
 * each scenario, so its access token (15 min) never expires mid-run. Only loopback addresses are ever contacted.
 * See benchmarks/load-harness/README.md.
 */
public final class CommunityFeedLoad {

    static final String USAGE = """
            usage: CommunityFeedLoad [--scenario=feed,search,post|all] [--rate=300] [--duration=60] [--warmup=10]
                                     [--auth=127.0.0.1:8081] [--community=127.0.0.1:8083] [--channels=4]
                                     [--deadline-ms=5000] [--page-size=15] [--feed-pages=1] [--search-words=<list>]
                                     [--search-types=title,all] [--post-ids=<file>] [--id-pages=200]
                                     [--idle-calls=100] [--server-pid=<pid>] [--db-pid=<postmaster pid>]
                                     [--no-health] [--json=<file>]""";

    /**
     * Words a reader of a deepfake-awareness board types, over the seed's frequencies (titles / bodies of 1M posts):
     * very common (딥페이크 ~10% / ~38%), common two-character Korean ones (영상, 진짜: pg_trgm cannot use its index
     * below three characters), mid-frequency, rare (포렌식, 귓불, provenance: ~100 posts each) and one that matches
     * nothing (worst case for an index-ordered scan).
     */
    static final List<String> DEFAULT_SEARCH_WORDS = List.of("딥페이크", "영상", "진짜", "가짜", "합성", "탐지",
            "보이스피싱", "deepfake", "AI", "틱톡", "얼굴", "목소리", "정보", "질문", "학생", "포렌식", "귓불",
            "워터마크", "provenance", "없는단어");

    private static final String PASSWORD = "load-harness-password-1";
    private static final long SETUP_DEADLINE_MS = 30_000;
    private static final int IDLE_WARMUP_CALLS = 20;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /** The command line: {@code --name=value} (and {@code --json <file>}), nothing else. */
    record Settings(List<String> scenarios, int rate, int durationSeconds, int warmupSeconds,
                    InetSocketAddress auth, InetSocketAddress community, int channels, long deadlineMs, int pageSize,
                    int feedPages, List<String> searchWords, List<String> searchTypes, Path postIds, int idPages,
                    int idleCalls, Integer serverPid, Integer dbPid, boolean health, Path json) {

        private static final List<String> KNOWN = List.of("scenario", "rate", "duration", "warmup", "auth",
                "community", "channels", "deadline-ms", "page-size", "feed-pages", "search-words", "search-types",
                "post-ids", "id-pages", "idle-calls", "server-pid", "db-pid", "no-health", "json", "help");

        static Settings parse(String[] args) {
            Map<String, String> values = Options.flags(args, Set.copyOf(KNOWN));
            String scenario = values.getOrDefault("scenario", "all");
            List<String> scenarios = scenario.equals("all") ? List.of("feed", "search", "post") : list(scenario);
            for (String s : scenarios) {
                if (!List.of("feed", "search", "post").contains(s)) {
                    throw new IllegalArgumentException("--scenario: feed, search, post (comma-separated) or all");
                }
            }
            List<String> types = list(values.getOrDefault("search-types", "title,all"));
            for (String t : types) {
                if (!List.of("title", "body", "all").contains(t)) {
                    throw new IllegalArgumentException("--search-types: title, body and/or all");
                }
            }
            String words = values.get("search-words");
            String pid = values.get("server-pid");
            String dbPid = values.get("db-pid");
            String ids = values.get("post-ids");
            String json = values.get("json");
            return new Settings(scenarios,
                    number(values, "rate", 300, 1),
                    number(values, "duration", 60, 1),
                    number(values, "warmup", 10, 0),
                    Options.loopback(values.getOrDefault("auth", "127.0.0.1:8081")),
                    Options.loopback(values.getOrDefault("community", "127.0.0.1:8083")),
                    number(values, "channels", 4, 1),
                    number(values, "deadline-ms", 5000, 1),
                    number(values, "page-size", 15, 1),
                    number(values, "feed-pages", 1, 1),
                    words == null ? DEFAULT_SEARCH_WORDS : list(words),
                    types,
                    ids == null ? null : Path.of(ids),
                    number(values, "id-pages", 200, 1),
                    number(values, "idle-calls", 100, 0),
                    pid == null ? null : Integer.valueOf(pid),
                    dbPid == null ? null : Integer.valueOf(dbPid),
                    !values.containsKey("no-health"),
                    json == null || json.equals("true") ? null : Path.of(json));
        }

        String describe() {
            return "rate=" + rate + "/s duration=" + durationSeconds + "s warmup=" + warmupSeconds + "s channels="
                    + channels + " deadline=" + deadlineMs + "ms page-size=" + pageSize + " feed-pages=" + feedPages
                    + " search-types=" + String.join(",", searchTypes) + " search-words=" + searchWords.size()
                    + " post-ids=" + (postIds == null ? "from " + idPages + " feed pages" : postIds)
                    + " idle-calls=" + idleCalls + " health=" + (health ? "on" : "off")
                    + " auth=" + Options.text(auth) + " community=" + Options.text(community);
        }

        private static List<String> list(String csv) {
            List<String> items = new ArrayList<>();
            for (String item : csv.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
            if (items.isEmpty()) {
                throw new IllegalArgumentException("empty list: " + csv);
            }
            return List.copyOf(items);
        }

        private static int number(Map<String, String> values, String name, int fallback, int min) {
            String raw = values.get(name);
            int value;
            try {
                value = raw == null ? fallback : Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, got " + raw, e);
            }
            if (value < min) {
                throw new IllegalArgumentException("--" + name + " must be >= " + min);
            }
            return value;
        }
    }

    /** Latency by kind of search (type, and whether the word is shorter than pg_trgm's three characters). */
    private record SearchClass(String name, Histogram latency) {
    }

    /** One measured scenario's figures. CPU figures are null when the pid was not given. */
    private record Result(String name, String workload, List<OpenLoopStream> streams, List<SearchClass> classes,
                          long clientCpuNanos, Long serverCpuMillis, Long dbCpuMillis) {
    }

    private final Settings settings;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String email = "load-" + runId + "-community@example.test";
    private final ManagedChannel authChannel;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final CommunityServiceGrpc.CommunityServiceStub[] community;
    private final HealthGrpc.HealthStub[] health;
    private final PrintStream out = System.out;
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final List<String> resultJson = new ArrayList<>();
    private String idleJson = "null";

    private CommunityFeedLoad(Settings settings) {
        this.settings = settings;
        this.authChannel = channel(settings.auth());
        for (int i = 0; i < settings.channels(); i++) {
            channels.add(channel(settings.community()));
        }
        this.community = channels.stream().map(CommunityServiceGrpc::newStub)
                .toArray(CommunityServiceGrpc.CommunityServiceStub[]::new);
        this.health = channels.stream().map(HealthGrpc::newStub).toArray(HealthGrpc.HealthStub[]::new);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        CommunityFeedLoad load = new CommunityFeedLoad(settings);
        try {
            load.run();
        } catch (IllegalStateException | StatusRuntimeException | IOException e) {
            System.err.println("error: " + e.getMessage() + " (is ./pawfiler up running, with community-service?)");
            System.exit(1);
        } finally {
            load.close();
        }
    }

    private void run() throws Exception {
        if (settings.serverPid() != null) {
            CpuTime.processMillis(settings.serverPid()); // fail now, not after the setup
        }
        if (settings.dbPid() != null) {
            processTreeMillis(settings.dbPid());
        }
        header();
        ClientInterceptor bearer = signup();
        FeedResponse first = CommunityServiceGrpc.newBlockingStub(channels.getFirst()).withInterceptors(bearer)
                .withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .getFeed(GetFeedRequest.newBuilder().setPage(1).setPageSize(settings.pageSize()).build());
        progress("feed: total_count %d, first page %d posts", first.getTotalCount(), first.getPostsCount());
        if (first.getPostsCount() == 0) {
            throw new IllegalStateException("the feed is empty: seed it first (benchmarks/community-queries/seed-1m-posts.sql)");
        }
        if (first.getTotalCount() < 100_000) {
            progress("WARNING: only %d posts; the figures are meant for the 1M-post seed", first.getTotalCount());
        }
        List<String> postIds = null;
        if (settings.scenarios().contains("post") || settings.idleCalls() > 0) {
            postIds = postIds(bearer, first.getTotalCount());
        }
        if (settings.idleCalls() > 0) {
            measureIdle(bearer, postIds.getFirst());
        }
        for (String scenario : settings.scenarios()) {
            bearer = login(); // a fresh access token per scenario: 15 min would not cover a long run
            Result result = load(scenario, bearer, postIds);
            print(result);
        }
        if (settings.json() != null) {
            writeJson(settings.json());
        }
    }

    private ClientInterceptor signup() {
        long started = System.nanoTime();
        String token = AuthServiceGrpc.newBlockingStub(authChannel)
                .withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .signup(SignupRequest.newBuilder().setEmail(email).setPassword(PASSWORD)
                        .setNickname("load " + runId).build())
                .getAccessToken();
        progress("signed up %s in %.1f s", email, seconds(started));
        return bearer(token);
    }

    private ClientInterceptor login() {
        return bearer(AuthServiceGrpc.newBlockingStub(authChannel)
                .withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .login(LoginRequest.newBuilder().setEmail(email).setPassword(PASSWORD).build())
                .getAccessToken());
    }

    /**
     * Post ids for GetPost: from --post-ids (one per line, e.g. a sample of the whole table written by psql), or
     * else from --id-pages feed pages drawn at random among the first 2000 (the newest 30 000 posts at 15 per page:
     * what readers open from the feed; deeper pages are OFFSET scans that cost the server more than the test).
     */
    private List<String> postIds(ClientInterceptor bearer, int totalCount) throws IOException {
        List<String> ids;
        if (settings.postIds() != null) {
            ids = new ArrayList<>();
            for (String line : Files.readAllLines(settings.postIds(), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
            progress("post ids: %d from %s", ids.size(), settings.postIds());
        } else {
            long started = System.nanoTime();
            CommunityServiceGrpc.CommunityServiceBlockingStub stub =
                    CommunityServiceGrpc.newBlockingStub(channels.getFirst()).withInterceptors(bearer);
            int pages = Math.max(1, Math.min(2000, Math.ceilDiv(totalCount, settings.pageSize())));
            SplittableRandom random = new SplittableRandom(42);
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (int i = 0; i < settings.idPages(); i++) {
                int page = i == 0 ? 1 : 1 + random.nextInt(pages);
                for (Post post : stub.withDeadlineAfter(SETUP_DEADLINE_MS, TimeUnit.MILLISECONDS).getFeed(
                        GetFeedRequest.newBuilder().setPage(page).setPageSize(settings.pageSize()).build())
                        .getPostsList()) {
                    unique.add(post.getId());
                }
            }
            ids = new ArrayList<>(unique);
            progress("post ids: %d from %d feed pages among the first %d, in %.1f s", ids.size(), settings.idPages(),
                    pages, seconds(started));
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("no post ids");
        }
        return List.copyOf(ids);
    }

    /** One call at a time on a warmed channel: what a single request costs when nothing queues. */
    private void measureIdle(ClientInterceptor bearer, String postId) {
        HealthGrpc.HealthBlockingStub healthStub = HealthGrpc.newBlockingStub(channels.getFirst());
        CommunityServiceGrpc.CommunityServiceBlockingStub stub =
                CommunityServiceGrpc.newBlockingStub(channels.getFirst()).withInterceptors(bearer);
        GetFeedRequest feed = GetFeedRequest.newBuilder().setPage(1).setPageSize(settings.pageSize()).build();
        GetPostRequest get = GetPostRequest.newBuilder().setPostId(postId).build();
        Histogram healthLatency = new Histogram(3);
        Histogram feedLatency = new Histogram(3);
        Histogram postLatency = new Histogram(3);
        for (int i = 0; i < IDLE_WARMUP_CALLS + settings.idleCalls(); i++) {
            boolean record = i >= IDLE_WARMUP_CALLS;
            long t0 = System.nanoTime();
            healthStub.withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            long t1 = System.nanoTime();
            stub.withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS).getFeed(feed);
            long t2 = System.nanoTime();
            stub.withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS).getPost(get);
            long t3 = System.nanoTime();
            if (record) {
                healthLatency.recordValue((t1 - t0) / 1000);
                feedLatency.recordValue((t2 - t1) / 1000);
                postLatency.recordValue((t3 - t2) / 1000);
            }
        }
        out.printf("%nidle server, one call at a time on a warmed channel (%d calls each):%n", settings.idleCalls());
        out.println("  " + idleLine("grpc.health.v1.Health/Check", healthLatency));
        out.println("  " + idleLine("GetFeed page 1", feedLatency));
        out.println("  " + idleLine("GetPost", postLatency));
        out.flush();
        idleJson = "{\"calls\":" + settings.idleCalls() + ",\"health_check\":" + percentilesJson(healthLatency)
                + ",\"get_feed_page_1\":" + percentilesJson(feedLatency)
                + ",\"get_post\":" + percentilesJson(postLatency) + "}";
    }

    private Result load(String scenario, ClientInterceptor bearer, List<String> postIds) throws InterruptedException {
        int rate = settings.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long periodTimes1000 = 1_000_000_000_000L / rate; // as OpenLoopStream schedules request i
        List<SearchClass> classes = new ArrayList<>();
        OpenLoopStream.Call call;
        String workload;
        String streamName;
        switch (scenario) {
            case "feed" -> {
                int pages = settings.feedPages();
                streamName = "GetFeed";
                workload = pages == 1 ? "GetFeed page 1, page_size " + settings.pageSize()
                        : "GetFeed pages 1.." + pages + " (uniform), page_size " + settings.pageSize();
                call = (i, done) -> community[(int) (i % community.length)].withInterceptors(bearer)
                        .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                        .getFeed(GetFeedRequest.newBuilder().setPage(pages == 1 ? 1 : 1 + (int) (mix(i) % pages))
                                .setPageSize(settings.pageSize()).build(), OpenLoopStream.observer(done));
            }
            case "search" -> {
                streamName = "GetFeed search";
                List<String> words = settings.searchWords();
                List<String> types = settings.searchTypes();
                workload = "GetFeed page 1 with search_query drawn uniformly from " + words.size() + " words "
                        + words + ", search_type " + String.join("/", types) + " in turn";
                // one histogram per (type, short/long word), filled alongside the stream's own
                Map<String, SearchClass> byName = new HashMap<>();
                for (String type : types) {
                    for (String length : List.of("1-2 chars", "3+ chars")) {
                        SearchClass c = new SearchClass(type + ", " + length, new ConcurrentHistogram(3));
                        byName.put(c.name(), c);
                        classes.add(c);
                    }
                }
                long measuredFrom = (long) settings.warmupSeconds() * rate;
                call = (i, done) -> {
                    String word = words.get((int) (mix(i) % words.size()));
                    String type = types.get((int) (i % types.size()));
                    SearchClass c = byName.get(type + ", " + (word.codePointCount(0, word.length()) < 3
                            ? "1-2 chars" : "3+ chars"));
                    long intended = start + i * periodTimes1000 / 1000;
                    OpenLoopStream.Done recorded = i < measuredFrom ? done : (outcome, detail) -> {
                        c.latency().recordValue(Math.max(0, System.nanoTime() - intended) / 1000);
                        done.finish(outcome, detail);
                    };
                    community[(int) (i % community.length)].withInterceptors(bearer)
                            .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                            .getFeed(GetFeedRequest.newBuilder().setPage(1).setPageSize(settings.pageSize())
                                    .setSearchQuery(word).setSearchType(type).build(), OpenLoopStream.observer(recorded));
                };
            }
            case "post" -> {
                streamName = "GetPost";
                workload = "GetPost of " + postIds.size() + " post ids, drawn uniformly";
                GetPostRequest[] requests = postIds.stream()
                        .map(id -> GetPostRequest.newBuilder().setPostId(id).build()).toArray(GetPostRequest[]::new);
                call = (i, done) -> community[(int) (i % community.length)].withInterceptors(bearer)
                        .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                        .getPost(requests[(int) (mix(i) % requests.length)], OpenLoopStream.observer(done));
            }
            default -> throw new IllegalStateException(scenario);
        }
        OpenLoopStream.Call check = (i, done) -> health[(int) (i % health.length)]
                .withDeadlineAfter(settings.deadlineMs(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance(), healthObserver(done));

        List<OpenLoopStream> streams = new ArrayList<>();
        streams.add(new OpenLoopStream(streamName, rate, start, 0, settings.warmupSeconds(),
                settings.durationSeconds(), call));
        if (settings.health()) {
            // half a period later, so the two streams interleave instead of sending in pairs
            streams.add(new OpenLoopStream("health", rate, start, 0.5, settings.warmupSeconds(),
                    settings.durationSeconds(), check));
        }
        progress("%s: warm-up %d s, then measuring %d s at %d/s per stream (%s)", scenario,
                settings.warmupSeconds(), settings.durationSeconds(), rate, workload);
        streams.forEach(OpenLoopStream::start);

        parkUntil(start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds()));
        long clientBefore = CpuTime.ownNanos();
        Long serverBefore = settings.serverPid() == null ? null : CpuTime.processMillis(settings.serverPid());
        Long dbBefore = settings.dbPid() == null ? null : processTreeMillis(settings.dbPid());
        long grace = TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs() + 1000);
        for (OpenLoopStream stream : streams) {
            stream.awaitCompletion(grace);
        }
        long clientCpu = CpuTime.ownNanos() - clientBefore;
        Long serverCpu = serverBefore == null ? null : CpuTime.processMillis(settings.serverPid()) - serverBefore;
        Long dbCpu = dbBefore == null ? null : processTreeMillis(settings.dbPid()) - dbBefore;
        return new Result(scenario, workload, streams, classes, clientCpu, serverCpu, dbCpu);
    }

    /** A well-spread, repeatable index from the request number (no shared Random on the scheduler thread). */
    private static long mix(long i) {
        long z = i * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }

    /**
     * CPU of a PostgreSQL server: its postmaster, the backends and workers alive now (children in /proc), and
     * the children it already reaped (cutime + cstime). A backend that exits mid-window has its time counted from
     * zero, so short-lived connections could inflate this slightly; a pooled service's stay.
     */
    static long processTreeMillis(int postmaster) {
        long ticks = 0;
        String own = stat(postmaster);
        if (own == null) {
            throw new IllegalStateException("no process " + postmaster);
        }
        String[] f = fields(own);
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat = stat(Integer.parseInt(name));
                if (stat != null) {
                    String[] g = fields(stat);
                    if (Integer.parseInt(g[1]) == postmaster) {
                        ticks += Long.parseLong(g[11]) + Long.parseLong(g[12]);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** {@code getconf CLK_TCK}, as CpuTime reads it (100 on Linux nearly everywhere). */
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String text = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(text) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static String stat(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
    }

    /** Fields after the command name (which may contain spaces): [0] state, [1] ppid, [11] utime, [12] stime... */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    private void header() {
        out.printf("Pawfiler community feed/search/post open-loop load, run %s, %s, %d CPUs, Java %s%n", runId,
                startedAt, Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println("options: " + settings.describe());
        out.println("latency: ms from each request's INTENDED start (open loop) to its end; completed/s: OK responses"
                + " arriving inside the measured window / its length; errors by gRPC status");
        out.flush();
    }

    private void print(Result r) {
        int seconds = settings.durationSeconds();
        out.printf("%nscenario %s: %s; %d/s per stream, warm-up %d s, measured %d s; mode: %s%n", r.name(),
                r.workload(), settings.rate(), settings.warmupSeconds(), seconds,
                settings.health() ? "with health stream" : "alone (--no-health)");
        out.printf("  %-22s %7s %7s %7s %11s %8s %8s %8s %8s %8s%n",
                "stream", "sent", "ok", "errors", "completed/s", "p50", "p90", "p99", "p99.9", "max");
        for (OpenLoopStream stream : r.streams()) {
            out.println(row(stream.name, stream.sent.sum(), stream.ok.sum(), stream.errorCount(),
                    stream.okInWindow.sum() / (double) seconds, stream.latency));
        }
        for (SearchClass c : r.classes()) {
            out.println(row("  " + c.name(), c.latency().getTotalCount(), -1, -1, -1, c.latency()));
        }
        for (OpenLoopStream stream : r.streams()) {
            out.printf("  %s errors: %s%n", stream.name, errorsText(stream));
        }
        for (OpenLoopStream stream : r.streams()) {
            out.printf(Locale.ROOT, "  %s client send lag (included above) p99 %s ms, max %s ms; max in flight %d%s%n",
                    stream.name, ms(stream.sendLag.getValueAtPercentile(99)), ms(stream.sendLag.getMaxValue()),
                    stream.maxInFlight(), stream.stillInFlight() > 0
                            ? "; STILL IN FLIGHT at the end: " + stream.stillInFlight() : "");
        }
        long requests = r.streams().stream().mapToLong(s -> s.ok.sum() + s.errorCount()).sum();
        long main = r.streams().getFirst().ok.sum();
        out.printf(Locale.ROOT, "  client CPU (measured phase): %d ms = %.1f ms per s%n",
                r.clientCpuNanos() / 1_000_000, r.clientCpuNanos() / 1e6 / seconds);
        if (r.serverCpuMillis() != null) {
            out.printf(Locale.ROOT, "  server CPU (pid %d, measured phase): %d ms = %.1f ms per s = %s ms per %s OK "
                            + "(%d calls of all streams: %s ms each)%n", settings.serverPid(), r.serverCpuMillis(),
                    r.serverCpuMillis() / (double) seconds, per(r.serverCpuMillis(), main), r.streams().getFirst().name,
                    requests, per(r.serverCpuMillis(), requests));
        }
        if (r.dbCpuMillis() != null) {
            out.printf(Locale.ROOT, "  PostgreSQL CPU (postmaster %d and its processes, measured phase): %d ms = %.1f "
                            + "ms per s = %s ms per %s OK%n", settings.dbPid(), r.dbCpuMillis(),
                    r.dbCpuMillis() / (double) seconds, per(r.dbCpuMillis(), main), r.streams().getFirst().name);
        }
        out.flush();
        resultJson.add(resultJson(r));
    }

    private static String row(String name, long sent, long ok, long errors, double completedPerSecond, Histogram h) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-22s %7d %7s %7s %11s", name, sent,
                ok < 0 ? "" : Long.toString(ok), errors < 0 ? "" : Long.toString(errors),
                completedPerSecond < 0 ? "" : String.format(Locale.ROOT, "%.1f", completedPerSecond)));
        for (double p : PERCENTILES) {
            row.append(String.format(Locale.ROOT, " %8s", ms(h.getValueAtPercentile(p))));
        }
        return row.append(String.format(Locale.ROOT, " %8s", ms(h.getMaxValue()))).toString();
    }


    private String resultJson(Result r) {
        StringJoiner streams = new StringJoiner(",", "[", "]");
        for (OpenLoopStream stream : r.streams()) {
            StringJoiner errors = new StringJoiner(",", "{", "}");
            stream.errorsByCode().forEach((code, count) -> errors.add(quote(code) + ":" + count));
            streams.add("{\"name\":" + quote(stream.name) + ",\"sent\":" + stream.sent.sum()
                    + ",\"ok\":" + stream.ok.sum() + ",\"errors\":" + errors
                    + ",\"warmup_failures\":" + stream.warmupFailures.sum()
                    + ",\"completed_per_s\":" + String.format(Locale.ROOT, "%.1f",
                    stream.okInWindow.sum() / (double) settings.durationSeconds())
                    + ",\"latency_ms\":" + percentilesJson(stream.latency)
                    + ",\"send_lag_ms\":" + percentilesJson(stream.sendLag)
                    + ",\"max_in_flight\":" + stream.maxInFlight()
                    + ",\"still_in_flight\":" + stream.stillInFlight() + "}");
        }
        StringJoiner classes = new StringJoiner(",", "{", "}");
        r.classes().forEach(c -> classes.add(quote(c.name()) + ":" + percentilesJson(c.latency())));
        return "{\"name\":" + quote(r.name()) + ",\"workload\":" + quote(r.workload())
                + ",\"rate_per_stream\":" + settings.rate() + ",\"warmup_s\":" + settings.warmupSeconds()
                + ",\"duration_s\":" + settings.durationSeconds() + ",\"health\":" + settings.health()
                + ",\"streams\":" + streams + ",\"search_classes\":" + classes
                + ",\"client_cpu_ms\":" + r.clientCpuNanos() / 1_000_000
                + ",\"server_pid\":" + settings.serverPid() + ",\"server_cpu_ms\":" + r.serverCpuMillis()
                + ",\"db_pid\":" + settings.dbPid() + ",\"db_cpu_ms\":" + r.dbCpuMillis() + "}";
    }

    private void writeJson(Path file) throws IOException {
        Files.writeString(file, "{\"run\":" + quote(runId) + ",\"started_at\":" + quote(startedAt.toString())
                + ",\"cpus\":" + Runtime.getRuntime().availableProcessors()
                + ",\"options\":" + quote(settings.describe()) + ",\"latency_from\":\"intended_start\""
                + ",\"idle\":" + idleJson + ",\"scenarios\":[" + String.join(",", resultJson) + "]}\n");
        out.println("\nJSON written to " + file.toAbsolutePath());
    }

    private static String idleLine(String name, Histogram h) {
        return String.format(Locale.ROOT, "%-30s p50 %s ms  p99 %s ms  max %s ms", name,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }



    private static String per(long millis, long count) {
        return count == 0 ? "null" : String.format(Locale.ROOT, "%.3f", millis / (double) count);
    }





    private void close() throws InterruptedException {
        authChannel.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
        authChannel.awaitTermination(5, TimeUnit.SECONDS);
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void parkUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(deadline - now);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
