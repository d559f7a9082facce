package io.pawfiler.edge;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The front door's route table, one entry per route of {@code gateway-envoy/envoy.yaml} (same names, same
 * matches, same timeouts), and which paths need a token (its {@code jwt_authn} rules). Paths are those after the
 * {@code /api} prefix is stripped, as Envoy's second pass sees them. EnvoyParityTest compares this with the file.
 */
final class EdgeRoutes {

    /** Envoy strips this prefix (route {@code api-prefix}) and serves the rest as a request without it. */
    static final String API_PREFIX = "/api";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** What a request needs at the edge. */
    enum Access {
        /** no token needed; one that is sent is not even checked (Envoy: a rule without {@code requires}) */
        PUBLIC,
        /** no token needed, but one that is sent must verify ({@code allow_missing}) */
        TOKEN_IF_SENT,
        /** a valid token ({@code provider_name: pawfiler-auth}) */
        TOKEN
    }

    /**
     * A REST route: requests matching it are proxied (streamed) to the upstream's HTTP port.
     *
     * @param readsOnly    the route takes GET and HEAD only
     * @param retriesReads its GET and HEAD are retried once when the upstream never answered (Envoy's
     *                     {@code rest_read_retries})
     */
    record RestRoute(String name, Upstream upstream, String match, Duration timeout, boolean readsOnly,
                     boolean retriesReads) {
        /** Armeria path patterns: {@code prefix:/x/}, an exact path, or both for Envoy's path_separated_prefix. */
        List<String> armeriaPatterns() {
            if (match.endsWith("/")) {
                return List.of("prefix:" + match);
            }
            if (match.startsWith("=")) {
                return List.of(match.substring(1));
            }
            return List.of(match, "prefix:" + match + "/");
        }
    }

    /**
     * Envoy's REST routes. {@code match}: ends with "/" = prefix; starts with "=" = exact path; otherwise
     * path_separated_prefix (the path itself and everything under it).
     */
    static final List<RestRoute> REST = List.of(
            // sign-up, sign-in, refresh, sign-out (public), /auth/me, admins' key rotation
            new RestRoute("auth-rest", Upstream.AUTH, "/auth/", DEFAULT_TIMEOUT, false, true),
            new RestRoute("quiz-admin", Upstream.QUIZ, "/admin/questions", DEFAULT_TIMEOUT, false, true),
            // post media: <img>/<video> send no token, the signature authorises; byte ranges for seeking
            new RestRoute("community-media", Upstream.COMMUNITY, "/media/", Duration.ofSeconds(300), true, true),
            // uploads move up to 100 MiB, streamed
            new RestRoute("video-upload", Upstream.VIDEO, "=/upload-video", Duration.ofSeconds(300), false, false),
            new RestRoute("video-signed-upload", Upstream.VIDEO, "/uploads/", Duration.ofSeconds(300), false,
                    false),
            new RestRoute("video-files", Upstream.VIDEO, "/videos/", Duration.ofSeconds(300), true, true),
            new RestRoute("video-analysis", Upstream.VIDEO, "/analysis/", DEFAULT_TIMEOUT, false, true),
            // the provider's webhook: signed by the provider, checked by payment-service
            new RestRoute("payment-webhooks", Upstream.PAYMENT, "/payments/webhooks/", DEFAULT_TIMEOUT, false,
                    false),
            new RestRoute("dashboard-rest", Upstream.DASHBOARD, "/dashboard", DEFAULT_TIMEOUT, false, true));

    /** gRPC paths whose timeout is not the default 15 s (Envoy routes video-streams and video), first match wins. */
    private static final List<GrpcTimeout> GRPC_TIMEOUTS = List.of(
            // WatchAnalysis follows an analysis to its end, UploadVideo (native gRPC) carries a whole video
            new GrpcTimeout(Pattern.compile("/video_analysis\\.VideoAnalysisService/(WatchAnalysis|UploadVideo)")
                    .asMatchPredicate(), Duration.ofSeconds(300)),
            new GrpcTimeout(p -> p.startsWith("/video_analysis.VideoAnalysisService/Get"), DEFAULT_TIMEOUT),
            // AnalyzeVideo downloads the video before it answers (up to 60 s)
            new GrpcTimeout(p -> p.startsWith("/video_analysis.VideoAnalysisService/"), Duration.ofSeconds(90)));

    private record GrpcTimeout(Predicate<String> matches, Duration timeout) {
    }

    /**
     * gRPC reads Envoy retries once (route {@code *-reads}, {@code grpc_read_retries}): {@code Get*} of every service
     * and payment's {@code List*}, except the two that write (GetRandomQuestion records its draw, GetUploadUrl
     * creates a task and counts against the quota) and the streams.
     */
    private static final Predicate<String> GRPC_READS = Pattern.compile(
            "/(auth\\.AuthService|quiz\\.QuizService|community\\.CommunityService|video_analysis\\.VideoAnalysisService"
                    + "|dashboard\\.DashboardService)/Get[A-Za-z]*|/payment\\.PaymentService/(Get|List)[A-Za-z]*")
            .asMatchPredicate()
            .and(p -> !p.equals("/quiz.QuizService/GetRandomQuestion")
                    && !p.equals("/video_analysis.VideoAnalysisService/GetUploadUrl"));

    /** Whether a unary gRPC call to {@code path} is retried once when the upstream never answered or said UNAVAILABLE. */
    static boolean retriesGrpc(String path) {
        return GRPC_READS.test(path);
    }

    /** Envoy's CorsPolicy (besides the origins, which are configuration: EdgeSettings). No credentials. */
    static final List<String> CORS_ALLOWED_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final List<String> CORS_ALLOWED_HEADERS = List.of("authorization", "content-type", "x-grpc-web",
            "x-user-agent", "grpc-timeout", "idempotency-key");
    static final List<String> CORS_EXPOSED_HEADERS = List.of("grpc-status", "grpc-message");
    static final Duration CORS_MAX_AGE = Duration.ofSeconds(86400);

    /** The REST paths anyone may call (their gRPC twins come from the public gRPC methods), and the edge's health. */
    static final Set<String> PUBLIC_PATHS = Set.of("/auth/login", "/auth/signup", "/auth/refresh", "/auth/logout",
            "/health");
    static final List<String> PUBLIC_PREFIXES = List.of("/payments/webhooks/");
    static final List<String> TOKEN_IF_SENT_PREFIXES = List.of("/media/", "/uploads/");

    private final Set<String> publicGrpcPaths;

    EdgeRoutes(List<String> publicGrpcMethods) {
        this.publicGrpcPaths = Set.copyOf(publicGrpcMethods.stream().map(m -> "/" + m).toList());
    }

    /** The path as the routes see it: without the {@code /api} prefix (once: "/api/api/x" is "/api/x"). */
    static String withoutApiPrefix(String path) {
        return path.startsWith(API_PREFIX + "/") ? path.substring(API_PREFIX.length()) : path;
    }

    Access access(String path) {
        if (PUBLIC_PATHS.contains(path) || publicGrpcPaths.contains(path)
                || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
            return Access.PUBLIC;
        }
        if (TOKEN_IF_SENT_PREFIXES.stream().anyMatch(path::startsWith)) {
            return Access.TOKEN_IF_SENT;
        }
        return Access.TOKEN;
    }

    /** The timeout of a gRPC (or transcoded JSON) call to {@code path}. */
    static Duration grpcTimeout(String path) {
        return GRPC_TIMEOUTS.stream().filter(t -> t.matches().test(path)).map(GrpcTimeout::timeout).findFirst()
                .orElse(DEFAULT_TIMEOUT);
    }
}
