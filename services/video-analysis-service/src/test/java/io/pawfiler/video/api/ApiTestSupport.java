package io.pawfiler.video.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.pawfiler.testing.RealInfrastructure;

/** For VideoAnalysisIT: a local origin server for AnalyzeVideo, REST calls, and rows straight in the tables. */
final class ApiTestSupport {

    private ApiTestSupport() {
    }

    /** A JDK HTTP server on 127.0.0.1, port 0, counting requests per path. */
    static final class Origin implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

        Origin(byte[] video) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "test-origin");
                thread.setDaemon(true);
                return thread;
            }));
            server.createContext("/", exchange -> {
                hits.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
                try (exchange) {
                    serve(exchange, video);
                } catch (IOException clientWentAway) {
                    // the service cut the download off: expected for the refusals
                }
            });
            server.start();
        }

        private static void serve(HttpExchange exchange, byte[] video) throws IOException {
            switch (exchange.getRequestURI().getPath()) {
                case "/small.avi" -> {
                    exchange.getResponseHeaders().add("Content-Type", "video/x-msvideo");
                    exchange.sendResponseHeaders(200, video.length);
                    exchange.getResponseBody().write(video);
                }
                case "/redirect-to-video" -> redirect(exchange, "/small.avi");
                case "/redirect-to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
                case "/redirect-to-loopback" -> redirect(exchange, "http://127.0.0.1:" + exchange.getLocalAddress().getPort()
                        + "/small.avi");
                case "/too-large" -> {
                    exchange.sendResponseHeaders(200, 50_000_000);  // declared, never sent
                    exchange.getResponseBody().write(new byte[1024]);
                }
                case "/endless" -> {
                    exchange.sendResponseHeaders(200, 0);  // chunked, no declared size
                    byte[] chunk = new byte[64 * 1024];
                    System.arraycopy(video, 0, chunk, 0, Math.min(video.length, 12));
                    OutputStream body = exchange.getResponseBody();
                    for (int i = 0; i < 2000; i++) {  // 128 MB at most
                        body.write(chunk);
                    }
                }
                case "/stall" -> {
                    exchange.sendResponseHeaders(200, video.length);
                    exchange.getResponseBody().write(video, 0, 1000);
                    exchange.getResponseBody().flush();
                    sleep(Duration.ofSeconds(30));
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
        }

        private static void redirect(HttpExchange exchange, String location) throws IOException {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
        }

        int port() {
            return server.getAddress().getPort();
        }

        int hits(String path) {
            AtomicInteger count = hits.get(path);
            return count == null ? 0 : count.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- REST

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> rest(URI base, String method, String pathAndQuery, String token, String contentType,
                                     byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> restBytes(URI base, String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static jakarta.json.JsonObject json(HttpResponse<String> response) {
        return jakarta.json.Json.createReader(new java.io.StringReader(response.body())).readObject();
    }

    // ---------------------------------------------------------------- tables

    static void setQuotaUsed(String user, LocalDate period, int used) throws SQLException {
        update("INSERT INTO video_analysis.analysis_quota (user_id, period, used) VALUES (?, ?, ?) "
                + "ON CONFLICT (user_id, period) DO UPDATE SET used = EXCLUDED.used", user, period, used);
    }

    static int quotaUsed(String user, LocalDate period) throws SQLException {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT used FROM video_analysis.analysis_quota WHERE user_id = ? AND period = ?")) {
            statement.setString(1, user);
            statement.setObject(2, period);
            var rows = statement.executeQuery();
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    static int quotaRows(String user) throws SQLException {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FROM video_analysis.analysis_quota WHERE user_id = ?")) {
            statement.setString(1, user);
            var rows = statement.executeQuery();
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A task row as TaskLedger writes it, without its event (so no worker ever takes it). */
    static void insertTask(String id, String user, String filename, String stage, Instant createdAt, String sha256)
            throws SQLException {
        update("INSERT INTO video_analysis.analysis_tasks (id, user_id, video_sha256, filename, content_type, size_bytes, "
                        + "stage, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 'video/mp4', 1000, ?, 0, ?, ?)",
                id, user, sha256, filename, stage, createdAt.atOffset(ZoneOffset.UTC), createdAt.atOffset(ZoneOffset.UTC));
    }

    static void insertResult(String taskId, String verdict, double fakeScore, String model) throws SQLException {
        update("INSERT INTO video_analysis.analysis_results (task_id, verdict, fake_score, faces_found, model_version, "
                + "report, completed_at) VALUES (?, ?, ?, 1, ?, ?, now())", taskId, verdict, fakeScore, model, new byte[0]);
    }

    static void insertCharge(String taskId, String user, LocalDate period) throws SQLException {
        update("INSERT INTO video_analysis.quota_charges (task_id, user_id, period) VALUES (?, ?, ?)", taskId, user, period);
    }

    private static void update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
