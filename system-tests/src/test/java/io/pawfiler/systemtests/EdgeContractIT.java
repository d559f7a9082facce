package io.pawfiler.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pawfiler.api.quiz.GetRandomQuestionRequest;
import io.pawfiler.api.quiz.QuizQuestion;
import io.pawfiler.api.quiz.QuizServiceGrpc;
import io.pawfiler.api.video.AnalysisStage;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;
import io.pawfiler.api.video.WatchAnalysisRequest;
import io.pawfiler.testing.grpc.GrpcClients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The external API on :8080 as the original frontend and native clients use it, over real HTTP against whichever
 * front door runs: by default the Java edge in front of all six services started here (EdgeStack), or any edge at
 * {@code -Dpawfiler.edge.url=http://localhost:8080} (e.g. Envoy with gateway-envoy/envoy.yaml), which must then have
 * the six services behind it. Every call goes through the edge only; users sign up through it.
 */
@UsesSharedStack
@org.junit.jupiter.api.Order(1)
class EdgeContractIT {

    static final String DEV_ORIGIN = "http://localhost:5173";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static EdgeStack stack;
    private static String edge;
    private static String token;
    private static String userId;

    @BeforeAll
    static void start() throws Exception {
        stack = EdgeStack.external();
        edge = stack.edge().toString();
        JsonObject signedUp = json(post("/api/auth/signup", null, Json.createObjectBuilder()
                .add("email", "edge." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test")
                .add("password", "password-123").add("nickname", "엣지").build().toString()), 201);
        token = signedUp.getString("token");
        userId = signedUp.getJsonObject("user").getString("id");
    }

    @Test
    void signUpAndSignInOverRestAndOverTranscodedGrpc() throws Exception {
        String email = "edge.login." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test";
        String credentials = Json.createObjectBuilder().add("email", email).add("password", "password-123").build()
                .toString();
        JsonObject signedUp = json(post("/auth/signup", null, credentials), 201);
        assertFalse(signedUp.getString("refresh_token").isBlank());

        JsonObject rest = json(post("/api/auth/login", null, credentials), 200);
        assertEquals(email, rest.getJsonObject("user").getString("email"));

        // the JSON-transcoded gRPC method: proto field names, and every primitive field printed
        HttpResponse<String> grpc = post("/api/auth.AuthService/Login", null, credentials);
        JsonObject login = json(grpc, 200);
        assertTrue(grpc.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertEquals(signedUp.getJsonObject("user").getString("id"), login.getJsonObject("user").getString("id"));
        for (String field : List.of("token", "refresh_token", "expires_in", "token_type", "access_token")) {
            assertTrue(login.containsKey(field), field + " in " + login);
        }
        assertFalse(login.containsKey("refreshToken"), "proto names, not lowerCamelCase: " + login);
        assertTrue(login.getInt("expires_in") > 0);

        // the token from the transcoded call is as good as the REST one
        assertEquals(200, post("/quiz.QuizService/GetUserStats", login.getString("token"), "{}").statusCode());
        // a refresh is public too
        JsonObject refreshed = json(post("/api/auth/refresh", null, Json.createObjectBuilder()
                .add("refresh_token", rest.getString("refresh_token")).build().toString()), 200);
        assertFalse(refreshed.getString("token").isBlank());
    }

    @Test
    void aQuizQuestionIsSnakeCaseJsonWithPrimitiveFieldsPrintedWithAndWithoutTheApiPrefix() throws Exception {
        for (String path : List.of("/api/quiz.QuizService/GetRandomQuestion", "/quiz.QuizService/GetRandomQuestion")) {
            JsonObject question = json(post(path, token, "{}"), 200);
            assertFalse(question.getString("id").isBlank(), path);
            // primitives at their default value are printed too (Envoy's always_print_primitive_fields)
            for (String field : List.of("media_url", "thumbnail_emoji", "difficulty", "category", "explanation",
                    "draw_id", "energy", "max_energy", "options", "type", "media_type")) {
                assertTrue(question.containsKey(field), field + " in " + question);
            }
            assertFalse(question.containsKey("mediaUrl") || question.containsKey("drawId"), question.toString());
        }
        // the original frontend's request() sends application/grpc-web+json with a plain JSON body
        HttpResponse<String> frontend = HTTP.send(request("/api/quiz.QuizService/GetRandomQuestion", token)
                .header("content-type", "application/grpc-web+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"ignored\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(json(frontend, 200).containsKey("draw_id"));
        // and curl's default (-d '{}' sends a form content type), as in the README's example
        HttpResponse<String> curl = HTTP.send(request("/api/quiz.QuizService/GetRandomQuestion", token)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(json(curl, 200).containsKey("draw_id"));
    }

    @Test
    void withoutAValidTokenTheEdgeAnswers401JsonAndPublicOperationsNeedNone() throws Exception {
        for (String path : List.of("/api/quiz.QuizService/GetRandomQuestion", "/quiz.QuizService/GetRandomQuestion",
                "/api/analysis/quota", "/dashboard", "/no/such/path")) {
            HttpResponse<String> missing = post(path, null, "{}");
            JsonObject body = json(missing, 401);
            assertEquals(16, body.getInt("code"), path);
            assertEquals("Jwt is missing", body.getString("message"), path);
        }
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        JsonObject bad = json(post("/api/quiz.QuizService/GetRandomQuestion", forged, "{}"), 401);
        assertEquals("Jwt verification fails", bad.getString("message"));

        assertEquals(200, HTTP.send(request("/health", null).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        // a wrong password is auth-service's 401, not the edge's: the public route reached it
        HttpResponse<String> wrong = post("/auth/login", null,
                "{\"email\":\"nobody@pawfiler.test\",\"password\":\"wrong-password\"}");
        assertEquals(401, wrong.statusCode());
        assertFalse(wrong.body().contains("Jwt is missing"), wrong.body());
        // the provider's webhook carries a signature, not a token
        HttpResponse<String> webhook = post("/api/payments/webhooks/toss", null, "{}");
        assertFalse(webhook.body().contains("Jwt is missing"), webhook.statusCode() + " " + webhook.body());
    }

    /**
     * For every REST operation in every service's {@code /openapi}: the edge asks for a token exactly when the
     * service itself does, so a public operation (sign-up, a signed media URL, the provider's webhook) is never
     * blocked at the front door, and a protected one is not open there. "Asks for a token": a call without one gets
     * 401 and the same call with a valid one does not (a webhook's 401 for a bad signature is not a token rule);
     * an operation with a {@code sig} parameter takes a signed URL instead of a token, so the edge must let it pass.
     * Operations the edge does not route (auth's JWKS, which only services fetch) are listed, not compared.
     */
    @Test
    void everyRestOperationNeedsATokenAtTheEdgeExactlyWhenItsServiceDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(stack.ownStack(), "needs the services' own addresses");
        List<String> compared = new java.util.ArrayList<>();
        List<String> unrouted = new java.util.ArrayList<>();
        List<String> mismatched = new java.util.ArrayList<>();
        for (var service : stack.services().entrySet()) {
            String base = service.getValue().baseUrl();
            JsonObject document = Json.createReader(new StringReader(HTTP.send(HttpRequest.newBuilder(
                    URI.create(base + "/openapi")).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString()).body())).readObject();
            for (var path : document.getJsonObject("paths").entrySet()) {
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "x");
                for (var entry : path.getValue().asJsonObject().entrySet()) {
                    String verb = entry.getKey().toUpperCase(java.util.Locale.ROOT);
                    if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(verb)) {
                        continue;
                    }
                    JsonObject spec = entry.getValue().asJsonObject();
                    String operation = service.getKey() + " " + verb + " " + path.getKey();
                    // the body the operation takes (so that a refusal is about the token, not the content type)
                    String contentType = spec.containsKey("requestBody") ? spec.getJsonObject("requestBody")
                            .getJsonObject("content").keySet().iterator().next() : null;
                    HttpResponse<String> viaEdgeWithToken = call(edge, verb, concrete, contentType, token);
                    if (viaEdgeWithToken.statusCode() == 404 && !viaEdgeWithToken.headers()
                            .firstValue("content-type").orElse("").contains("json")) {
                        unrouted.add(operation);
                        continue;
                    }
                    // a signed URL (a sig parameter) lets <img>/<video> in without a token: the edge must too
                    boolean signed = spec.containsKey("parameters") && spec.getJsonArray("parameters")
                            .getValuesAs(JsonObject.class).stream().anyMatch(p -> p.getString("name", "").equals("sig"));
                    boolean serviceAsks = !signed && call(base, verb, concrete, contentType, null).statusCode() == 401
                            && call(base, verb, concrete, contentType, token).statusCode() != 401;
                    HttpResponse<String> viaEdge = call(edge, verb, concrete, contentType, null);
                    boolean edgeAsks = viaEdge.statusCode() == 401 && viaEdge.body().contains("Jwt is missing");
                    compared.add(operation + (serviceAsks ? " (token)" : signed ? " (token or signature)" : " (public)"));
                    if (serviceAsks != edgeAsks) {
                        mismatched.add(operation + ": the service " + (serviceAsks ? "asks" : "does not ask")
                                + " for a token, the edge " + (edgeAsks ? "does" : "does not"));
                    }
                }
            }
        }
        System.out.printf("EdgeContractIT: token rules compared for %d REST operations %s; not routed by the edge:"
                + " %s%n", compared.size(), compared, unrouted);
        assertEquals(List.of(), mismatched);
        assertTrue(compared.size() >= 15, "REST operations compared: " + compared);
        assertTrue(compared.stream().anyMatch(o -> o.endsWith("(public)")), "public operations among them");
    }

    /** An empty body of the operation's own content type (none for GET and DELETE). */
    private static HttpResponse<String> call(String base, String verb, String path, String contentType, String bearer)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(java.time.Duration.ofSeconds(30));
        if (bearer != null) {
            builder.header("authorization", "Bearer " + bearer);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (contentType != null && contentType.startsWith("multipart/")) {
            builder.header("content-type", contentType + "; boundary=x");
            body = HttpRequest.BodyPublishers.ofString("--x--\r\n");
        } else if (contentType != null) {
            builder.header("content-type", contentType);
            body = HttpRequest.BodyPublishers.ofString(contentType.contains("json") ? "{}" : "");
        }
        return HTTP.send(builder.method(verb, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBadRequestIs400WithTheServicesMessageAndNotFoundIs404() throws Exception {
        JsonObject invalid = json(post("/api/quiz.QuizService/SubmitAnswer", token, "{}"), 400);
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), invalid.getInt("code"));
        assertEquals("question_id: is required", invalid.getString("message"));
        JsonObject violation = invalid.getJsonArray("details").getJsonObject(0);
        assertEquals("type.googleapis.com/google.rpc.BadRequest", violation.getString("@type"));
        assertEquals("question_id", violation.getJsonArray("field_violations").getJsonObject(0).getString("field"));

        JsonObject missing = json(post("/api/community.CommunityService/GetPost", token,
                "{\"post_id\":\"" + UUID.randomUUID() + "\"}"), 404);
        assertEquals(Status.Code.NOT_FOUND.value(), missing.getInt("code"));
        assertFalse(missing.getString("message").isBlank());

        // not JSON at all
        assertEquals(400, post("/api/quiz.QuizService/GetRandomQuestion", token, "{not json").statusCode());
        // a method the services do not have (the original frontend's UploadMedia)
        assertEquals(404, post("/api/community.CommunityService/UploadMedia", token, "{}").statusCode());
    }

    @Test
    void corsLetsTheDevelopmentOriginInAndNoOtherOrigin() throws Exception {
        HttpResponse<String> preflight = HTTP.send(request("/api/quiz.QuizService/GetRandomQuestion", null)
                .header("Origin", DEV_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode(), preflight.body());
        assertEquals(Optional.of(DEV_ORIGIN), preflight.headers().firstValue("access-control-allow-origin"));
        String allowedHeaders = preflight.headers().firstValue("access-control-allow-headers").orElse("").toLowerCase();
        assertTrue(allowedHeaders.contains("authorization") && allowedHeaders.contains("content-type"),
                allowedHeaders);
        assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElse("").contains("POST"));
        // tokens travel in a header, never cookies: no credentialed CORS, and never "*"
        assertNotEquals("true", preflight.headers().firstValue("access-control-allow-credentials").orElse(""));

        HttpResponse<String> call = HTTP.send(request("/api/quiz.QuizService/GetRandomQuestion", token)
                .header("Origin", DEV_ORIGIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, call.statusCode());
        assertEquals(Optional.of(DEV_ORIGIN), call.headers().firstValue("access-control-allow-origin"));
        assertTrue(call.headers().firstValue("access-control-expose-headers").orElse("").contains("grpc-status"));
        // the browser must be able to read a 401 to refresh its token
        HttpResponse<String> refused = HTTP.send(request("/quiz.QuizService/GetRandomQuestion", null)
                .header("Origin", DEV_ORIGIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        assertEquals(Optional.of(DEV_ORIGIN), refused.headers().firstValue("access-control-allow-origin"));

        HttpResponse<String> foreign = HTTP.send(request("/api/quiz.QuizService/GetRandomQuestion", null)
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.empty(), foreign.headers().firstValue("access-control-allow-origin"));
    }

    @Test
    void grpcWebAndNativeGrpcGoThroughTheEdgeToo() throws Exception {
        byte[] message = GetRandomQuestionRequest.getDefaultInstance().toByteArray();
        HttpResponse<byte[]> web = HTTP.send(request("/api/quiz.QuizService/GetRandomQuestion", token)
                .header("content-type", "application/grpc-web+proto").header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame(0, message))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, web.statusCode());
        ByteBuffer frames = ByteBuffer.wrap(web.body());
        assertEquals(0, frames.get(), "a data frame first");
        byte[] data = new byte[frames.getInt()];
        frames.get(data);
        assertFalse(QuizQuestion.parseFrom(data).getId().isBlank());
        assertEquals((byte) 0x80, frames.get(), "then the trailers frame");
        byte[] trailers = new byte[frames.getInt()];
        frames.get(trailers);
        String trailerText = new String(trailers, StandardCharsets.US_ASCII);
        assertTrue(trailerText.matches("(?s).*grpc-status: ?0\\r\\n.*"), trailerText);

        URI base = stack.edge();
        ManagedChannel channel = ManagedChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext()
                .build();
        try {
            var quiz = QuizServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            assertFalse(quiz.withInterceptors(GrpcClients.bearer(token))
                    .getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance()).getId().isBlank());
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> quiz.getRandomQuestion(GetRandomQuestionRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
            // a server-streaming method is forwarded as a stream: the service's own answer comes back
            var watch = VideoAnalysisServiceGrpc.newBlockingStub(channel).withInterceptors(GrpcClients.bearer(token))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .watchAnalysis(WatchAnalysisRequest.newBuilder().setTaskId(UUID.randomUUID().toString()).build());
            StatusRuntimeException unknownTask = assertThrows(StatusRuntimeException.class, watch::next);
            assertEquals(Status.Code.NOT_FOUND, unknownTask.getStatus().getCode(), unknownTask.getStatus().toString());
        } finally {
            GrpcClients.close(channel);
        }
    }

    @Test
    void theCommunityBoardPlansAndDashboardAnswerThroughTheEdge() throws Exception {
        String title = "엣지 너머 " + UUID.randomUUID().toString().substring(0, 6);
        JsonObject created = json(post("/api/community.CommunityService/CreatePost", token,
                Json.createObjectBuilder().add("user_id", userId).add("author_nickname", "엣지")
                        .add("author_emoji", "🦊").add("title", title).add("body", "through the edge")
                        .add("tags", Json.createArrayBuilder().add("edge")).build().toString()), 200);
        assertEquals(title, created.getString("title"));
        assertEquals(0, created.getInt("likes"), "a zero is printed");
        // the original frontend's GetFeed sends lowerCamelCase (pageSize): JSON names are accepted too
        JsonObject feed = json(post("/api/community.CommunityService/GetFeed", token,
                "{\"page\":1,\"pageSize\":15}"), 200);
        assertTrue(feed.containsKey("total_count"), feed.toString());
        assertTrue(feed.getJsonArray("posts").stream().map(JsonValue::asJsonObject)
                .anyMatch(post -> post.getString("title").equals(title)), feed.toString());

        JsonObject plans = json(post("/api/payment.PaymentService/GetPlans", token, "{}"), 200);
        assertFalse(plans.getJsonArray("plans").isEmpty());
        assertTrue(plans.getJsonArray("plans").getJsonObject(0).containsKey("billing_period"));

        JsonObject dashboard = json(post("/api/dashboard.DashboardService/GetDashboard", token, "{}"), 200);
        assertTrue(dashboard.containsKey("unavailable_sections"), dashboard.toString());
        assertEquals(200, HTTP.send(request("/api/dashboard", token).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void videoRestRoutesReachVideoAnalysisAndUploadsStreamPastTheEdgesBufferLimits() throws Exception {
        JsonObject quota = json(post("/api/analysis/quota", token, "{}"), 200);
        assertTrue(quota.containsKey("remaining"), quota.toString());
        assertTrue(json(post("/api/analysis/history", token, "{}"), 200).containsKey("history"));

        // 12 MiB of not-a-video: more than any default buffer of the edge; video-analysis itself refuses it
        String boundary = "edge" + UUID.randomUUID();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; "
                + "filename=\"noise.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(new byte[12 * 1024 * 1024]);
        multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload;
        try {
            // the edge's route allows 300 s; this upload is answered within a second or two when nothing hangs
            upload = HTTP.send(request("/api/upload-video", token).timeout(java.time.Duration.ofSeconds(90))
                    .header("content-type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new AssertionError("no answer to the 12 MiB upload in 90 s; " + uploadStallEvidence(), e);
        }
        if (upload.statusCode() != 400) {
            throw new AssertionError("expected 400, got " + upload.statusCode() + " " + upload.body() + "; "
                    + uploadStallEvidence());
        }
        assertTrue(upload.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"),
                "video-analysis-service's problem, not the edge's: " + upload.body());
    }

    /**
     * A real (tiny) video uploaded through the edge as the original frontend uploads it, then followed to the end of
     * its analysis over WatchAnalysis, a server stream, through the edge too. The clip is 2 s of ffmpeg's test
     * pattern: {@code ffmpeg -f lavfi -i testsrc=size=160x120:rate=10 -t 2 -c:v libx264 -pix_fmt yuv420p clip.mp4}.
     */
    @Test
    void aVideoUploadedThroughTheEdgeIsAnalysedAndItsProgressStreamsBack() throws Exception {
        byte[] clip;
        try (var in = EdgeContractIT.class.getResourceAsStream("/edge/clip.mp4")) {
            clip = in.readAllBytes();
        }
        String boundary = "edge" + UUID.randomUUID();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; "
                + "filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(clip);
        multipart.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\n"
                + userId + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonObject uploaded = json(HTTP.send(request("/api/upload-video", token)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString()), 202);
        String taskId = uploaded.getString("task_id");

        JsonObject status = json(post("/api/video_analysis.VideoAnalysisService/GetAnalysisStatus", token,
                "{\"task_id\":\"" + taskId + "\"}"), 200);
        assertEquals(taskId, status.getString("task_id"));

        URI base = stack.edge();
        ManagedChannel channel = ManagedChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext()
                .build();
        try {
            var events = VideoAnalysisServiceGrpc.newBlockingStub(channel).withInterceptors(GrpcClients.bearer(token))
                    .withDeadlineAfter(200, TimeUnit.SECONDS)
                    .watchAnalysis(WatchAnalysisRequest.newBuilder().setTaskId(taskId).build());
            List<AnalysisStage> stages = new java.util.ArrayList<>();
            events.forEachRemaining(event -> stages.add(event.getStage()));
            assertFalse(stages.isEmpty());
            AnalysisStage last = stages.get(stages.size() - 1);
            assertTrue(last == AnalysisStage.COMPLETED || last == AnalysisStage.FAILED, stages.toString());
        } finally {
            GrpcClients.close(channel);
        }
    }

    /**
     * Debian's chromium (driven by playwright-core, edge/browser-test) on http://127.0.0.1:5173 makes the original
     * frontend's calls through the edge with real CORS preflights: sign-up, a quiz question drawn and answered, a post
     * created and found in the feed, the plans, and a 401 it can read. Needs chromium and {@code npm ci} in
     * edge/browser-test (.ci/run installs both); skipped without them except on CI.
     */
    @Test
    void aBrowserOnAnotherOriginMakesTheOriginalFrontendsCalls() throws Exception {
        Path dir = Services.projectRoot().resolve("edge/browser-test");
        String chromium = System.getenv().getOrDefault("PAWFILER_CHROMIUM", "/usr/bin/chromium");
        boolean installed = Files.isDirectory(dir.resolve("node_modules/playwright-core"))
                && Files.isExecutable(Path.of(chromium));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("CI needs chromium and edge/browser-test/node_modules (npm ci): see .ci/run");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed,
                "chromium or edge/browser-test/node_modules missing (apt-get install chromium; npm ci)");
        Process node = new ProcessBuilder("node", "journey.mjs", edge,
                Services.projectRoot().resolve("system-tests/target/edge-browser.png").toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), output);
        System.out.println(output);
        assertEquals(0, node.exitValue(), output);
        assertTrue(output.contains("browser checks: 8 ok, 0 failed"), output);
    }

    private static byte[] frame(int flags, byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) flags).putInt(message.length).put(message).array();
    }

    /**
     * What an intermittent stall of this upload (seen twice in CI, never reproduced) leaves to look at: the
     * video-analysis-service threads that run request code, from a thread dump, and where the full dump and the
     * service's log are. Best effort: a diagnosis, never a failure of its own.
     */
    /**
     * The threads of video-analysis-service and of the edge that handle HTTP, from the JDK's thread dump (which, unlike
     * {@code Thread.print}, lists virtual threads: Helidon serves each request on one); the full dumps are written
     * next to the logs.
     */
    private static String uploadStallEvidence() {
        if (!stack.ownStack()) {
            return "an external edge: look at its video-analysis-service";
        }
        var video = stack.services().get("video-analysis-service");
        return threadsOf("video-analysis-service", video.process(), video.logFile(),
                        "io.pawfiler", "jersey", "mimepull", "webserver.http1")
                + threadsOf("edge", stack.edgeProcess().process(), stack.edgeProcess().logFile(),
                        "armeria", "io.pawfiler");
    }

    private static String threadsOf(String name, Process process, Path log, String... frames) {
        Path dump = log.resolveSibling(name + "-threads.txt");
        try {
            Files.deleteIfExists(dump);
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                    .toString(), Long.toString(process.pid()), "Thread.dump_to_file", dump.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
            StringBuilder busy = new StringBuilder();
            for (String thread : Files.readString(dump).split("\n\n")) {
                if (Arrays.stream(frames).anyMatch(thread::contains) && thread.contains("\n    at ")) {
                    busy.append(thread.lines().limit(25).collect(Collectors.joining("\n")))
                            .append("\n\n");
                }
            }
            String text = busy.length() > 8_000 ? busy.substring(0, 8_000) + "..." : busy.toString();
            return "\n" + name + ": full dump " + dump + ", log " + log + "; its HTTP threads:\n" + text;
        } catch (Exception e) {
            return "\n" + name + ": no thread dump (" + e + ")";
        }
    }

    static HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(edge + path));
        if (bearer != null) {
            builder.header("authorization", "Bearer " + bearer);
        }
        return builder;
    }

    static HttpResponse<String> post(String path, String bearer, String json) throws Exception {
        return HTTP.send(request(path, bearer).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.uri() + ": " + response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
