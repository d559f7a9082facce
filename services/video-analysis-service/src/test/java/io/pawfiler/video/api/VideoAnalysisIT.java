package io.pawfiler.video.api;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.helidon.microprofile.testing.junit5.AddConfig;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.api.events.AnalysisCompleted;
import io.pawfiler.api.events.VideoUploaded;
import io.pawfiler.api.video.AnalysisEvent;
import io.pawfiler.api.video.AnalysisStage;
import io.pawfiler.api.video.AnalysisStatus;
import io.pawfiler.api.video.AnalyzeVideoRequest;
import io.pawfiler.api.video.AnalyzeVideoResponse;
import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.api.video.GetAnalysisResultRequest;
import io.pawfiler.api.video.GetAnalysisStatusRequest;
import io.pawfiler.api.video.GetUploadUrlRequest;
import io.pawfiler.api.video.GetUploadUrlResponse;
import io.pawfiler.api.video.UnifiedReport;
import io.pawfiler.api.video.UploadVideoRequest;
import io.pawfiler.api.video.UploadVideoResponse;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;
import io.pawfiler.api.video.VideoMetadata;
import io.pawfiler.api.video.WatchAnalysisRequest;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.testing.RealInfrastructure;
import io.pawfiler.testing.grpc.GrpcClients;
import io.pawfiler.testing.jwt.TestTokens;
import io.pawfiler.testing.kafka.KafkaTopics;
import io.pawfiler.video.domain.UploadGrant;
import io.pawfiler.video.pipeline.TestVideos;
import io.pawfiler.video.service.AnalysisQuota;
import io.pawfiler.video.service.UploadUrls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads over real gRPC streaming and REST into a real pipeline, with real PostgreSQL and Kafka: the quota,
 * AnalyzeVideo against a local origin server, signed upload URLs, unified results and the history.
 */
@ExtendWith(RealInfrastructure.class)
@HelidonTest
@AddConfig(key = "pawfiler.video.storage-dir", value = "target/it-videos")
@AddConfig(key = "pawfiler.video.max-upload-bytes", value = "3000000")
@AddConfig(key = "pawfiler.video.frames", value = "8")
@AddConfig(key = "pawfiler.video.fetch.allowed-hosts", value = "localhost")
@AddConfig(key = "pawfiler.video.fetch.timeout", value = "PT4S")
class VideoAnalysisIT {

    private static final Path VIDEOS = Path.of("target/it-test-videos");
    private static final Path STORAGE = Path.of("target/it-videos");
    private static ManagedChannel channel;

    @Inject
    WebTarget target;

    @Inject
    AnalysisQuota quota;

    @Inject
    UploadUrls uploadUrls;

    @AfterAll
    static void closeChannel() throws InterruptedException {
        GrpcClients.close(channel);
    }

    @Test
    void anUploadedFaceVideoIsAnalysedAndItsStagesStreamInOrder() throws Exception {
        String user = "u-" + UUID.randomUUID();
        Path video = TestVideos.encode(VIDEOS, "face", TestVideos.image("astronaut.png"), TestVideos.Format.H264_MP4,
                640, 360, 3);
        UploadVideoResponse uploaded = upload(user, "face.mp4", Files.readAllBytes(video));
        assertEquals(64, uploaded.getVideoSha256().length());

        List<AnalysisEvent> events = watch(user, uploaded.getTaskId());
        List<AnalysisStage> stages = events.stream().map(AnalysisEvent::getStage).toList();
        assertEquals(List.of(AnalysisStage.UPLOADED, AnalysisStage.DECODING, AnalysisStage.DETECTING_FACES,
                AnalysisStage.SCORING, AnalysisStage.COMPLETED), stages);
        DeepfakeReport report = events.get(events.size() - 1).getReport();
        assertTrue(report.getFacesFound() > 0, report.toString());
        assertTrue(report.getConfidenceScore() >= 0 && report.getConfidenceScore() <= 1);
        // an unmanipulated face: never FAKE (the measured error rates support no FAKE for it; see PipelineModelsTest)
        assertTrue(List.of("REAL", "INCONCLUSIVE").contains(report.getVerdict()), report.toString());
        assertEquals(report.getVerdict().equals("REAL") ? "below_real_bound" : "low_confidence",
                report.getVerdictReason());
        assertTrue(report.hasCalibratedFakeProbability() && report.hasRawScore() && report.hasModelHeldoutAuc());
        assertEquals(report.getConfidenceScore(), report.getCalibratedFakeProbability(), 0);
        assertEquals(8, report.getFrameSamplesAnalyzed());
        assertTrue(report.getManipulatedRegionsCount() > 0);
        assertTrue(report.getModelVersion().startsWith("sbi-baseline-"), report.getModelVersion());
        assertEquals(report, service(user).getAnalysisResult(GetAnalysisResultRequest.newBuilder()
                .setTaskId(uploaded.getTaskId()).build()));

        AnalysisStatus status = service(user).getAnalysisStatus(GetAnalysisStatusRequest.newBuilder()
                .setTaskId(uploaded.getTaskId()).build());
        assertEquals("COMPLETED", status.getStage());
        assertEquals(100, status.getProgressPercent());
        assertTrue(status.getLogsCount() >= 5, status.toString());

        AnalysisCompleted completed = CloudEventCodec.decode(KafkaTopics.readUntil(EventType.ANALYSIS_COMPLETED.topic(),
                        Duration.ofSeconds(20), records -> records.stream().anyMatch(r -> uploaded.getTaskId().equals(r.key())))
                .stream().filter(r -> uploaded.getTaskId().equals(r.key())).findFirst().orElseThrow().value())
                .dataAs(AnalysisCompleted.class);
        assertEquals("COMPLETED", completed.getStatus());
        assertEquals(user, completed.getUserId());
        assertEquals(report.getVerdict(), completed.getVerdict());
        assertEquals(report.getVerdictReason(), completed.getVerdictReason());

        String metrics = target.path("/metrics").request().accept("text/plain").get(String.class);
        for (String stage : List.of("DECODING", "DETECTING_FACES", "SCORING")) {
            assertTrue(metrics.contains("video_analysis_stage_seconds_count{") && metrics.contains("stage=\"" + stage + "\""),
                    "per-stage timer " + stage);
        }
        assertTrue(metrics.contains("video_analysis_queue_depth"), "queue depth gauge");
        String ready = target.path("/health/ready").request().get(String.class);
        assertTrue(ready.contains("\"models\",\"status\":\"UP\""), ready);

        // someone else cannot see it
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> service("u-other")
                .getAnalysisResult(GetAnalysisResultRequest.newBuilder().setTaskId(uploaded.getTaskId()).build()));
        assertEquals(Status.Code.NOT_FOUND, other.getStatus().getCode());

        // a redelivered video.uploaded for the finished task changes nothing
        int logs = status.getLogsCount();
        CloudEvent again = new CloudEvent(UUID.randomUUID().toString(), "/video-analysis-service",
                EventType.VIDEO_UPLOADED, Instant.now(), uploaded.getTaskId(), VideoUploaded.newBuilder()
                .setTaskId(uploaded.getTaskId()).setUserId(user).build());
        KafkaTopics.send(EventType.VIDEO_UPLOADED.topic(), uploaded.getTaskId(), CloudEventCodec.encode(again));
        Thread.sleep(3000);
        AnalysisStatus after = service(user).getAnalysisStatus(GetAnalysisStatusRequest.newBuilder()
                .setTaskId(uploaded.getTaskId()).build());
        assertEquals("COMPLETED", after.getStage());
        assertEquals(logs, after.getLogsCount(), "no second run");

        // the same bytes uploaded again are stored once
        UploadVideoResponse second = upload(user, "again.mp4", Files.readAllBytes(video));
        assertEquals(uploaded.getVideoSha256(), second.getVideoSha256());
        try (Stream<Path> stored = Files.walk(STORAGE)) {
            assertEquals(1, stored.filter(p -> p.getFileName().toString().equals(uploaded.getVideoSha256())).count());
        }
        watch(user, second.getTaskId());
    }

    @Test
    void aVideoWithoutAFaceIsInconclusive() throws Exception {
        String user = "u-" + UUID.randomUUID();
        Path video = TestVideos.encode(VIDEOS, "coffee", TestVideos.image("coffee.png"), TestVideos.Format.VP9_WEBM,
                640, 360, 2);
        UploadVideoResponse uploaded = upload(user, "coffee.webm", Files.readAllBytes(video));
        List<AnalysisEvent> events = watch(user, uploaded.getTaskId());
        DeepfakeReport report = events.get(events.size() - 1).getReport();
        assertEquals("INCONCLUSIVE", report.getVerdict());
        assertEquals("no_face", report.getVerdictReason());
        assertEquals(0, report.getFacesFound());
    }

    @Test
    void rejectedUploadsLeaveNoTaskAndNoFile() throws Exception {
        String user = "u-" + UUID.randomUUID();
        Path good = TestVideos.encode(VIDEOS, "truncate-me", TestVideos.image("astronaut.png"), TestVideos.Format.H264_MP4,
                640, 360, 3);
        byte[] mp4 = Files.readAllBytes(good);
        byte[] random = new byte[3_100_000];
        new java.util.Random(7).nextBytes(random);
        random[4] = 'f';
        random[5] = 't';
        random[6] = 'y';
        random[7] = 'p';
        List<byte[]> rejected = List.of(
                "this is a text file, not a video\n".repeat(100).getBytes(),   // text renamed .mp4
                Arrays.copyOf(mp4, mp4.length / 3),                              // truncated: no moov atom
                new byte[0],                                                     // empty
                random);                                                         // over the 3 MB limit
        for (byte[] bytes : rejected) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> upload(user, "x.mp4", bytes));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().startsWith("video"), e.getStatus().getDescription());
        }
        assertEquals(0, countTasks(user));
        try (Stream<Path> incoming = Files.list(STORAGE.resolve("incoming"))) {
            assertEquals(0, incoming.count(), "no scratch file left");
        }
    }

    @Test
    void theBrowserUploadsOverRestMultipart() throws Exception {
        String user = "u-" + UUID.randomUUID();
        Path video = TestVideos.encode(VIDEOS, "face-mjpeg", TestVideos.image("astronaut.png"),
                TestVideos.Format.MJPEG_AVI, 320, 240, 2);
        var parts = List.of(jakarta.ws.rs.core.EntityPart.withName("video").fileName("face.avi")
                .content(Files.newInputStream(video)).mediaType("video/x-msvideo").build());
        jakarta.ws.rs.core.Response response = target.path("/upload-video").request()
                .header("Authorization", "Bearer " + TestTokens.shared().token(user, "user"))
                .post(jakarta.ws.rs.client.Entity.entity(new jakarta.ws.rs.core.GenericEntity<>(parts) { },
                        jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA));
        String body = response.readEntity(String.class);
        assertEquals(202, response.getStatus(), body);
        String taskId = jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject().getString("task_id");
        List<AnalysisEvent> events = watch(user, taskId);
        assertTrue(events.get(events.size() - 1).getReport().getFacesFound() > 0);

        var textParts = List.of(jakarta.ws.rs.core.EntityPart.withName("video").fileName("notes.mp4")
                .content("just text".getBytes()).mediaType("video/mp4").build());
        jakarta.ws.rs.core.Response rejected = target.path("/upload-video").request()
                .header("Authorization", "Bearer " + TestTokens.shared().token(user, "user"))
                .post(jakarta.ws.rs.client.Entity.entity(new jakarta.ws.rs.core.GenericEntity<>(textParts) { },
                        jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA));
        String problem = rejected.readEntity(String.class);
        assertEquals(400, rejected.getStatus(), problem);
        assertTrue(problem.contains("\"field\":\"video\""), problem);
        assertEquals(401, target.path("/upload-video").request().post(jakarta.ws.rs.client.Entity.entity(
                new jakarta.ws.rs.core.GenericEntity<>(textParts) { }, jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA))
                .getStatus());
        assertEquals(1, countTasks(user), "only the accepted upload made a task");
    }

    /**
     * Malformed bodies to the REST endpoints are the caller's mistake (400 problem+json naming what is wrong), never a
     * 500 or a silent 200; and a refused upload leaves the quota table exactly as it was (no counter row at 0).
     */
    @Test
    void malformedRestBodiesAreRefusedAndLeaveNoQuotaRowBehind() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String token = TestTokens.shared().token(user, "user");
        for (String path : List.of("/analysis/quota", "/analysis/history")) {
            for (String body : List.of("{", "{\"user_id\":", "[]", "42", "\"text\"", "nul", "{\"a\":1}}",
                    "{\"page_size\":\"ten\"}")) {
                if (path.endsWith("quota") && body.contains("page_size")) {
                    continue;
                }
                var response = ApiTestSupport.rest(target.getUri(), "POST", path, token, "application/json",
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(400, response.statusCode(), path + " " + body + " -> " + response.body());
                assertEquals("application/problem+json",
                        response.headers().firstValue("content-type").orElse(""), response.body());
            }
            // a JSON request with no body at all is refused too (GET is the form without one)
            var empty = ApiTestSupport.rest(target.getUri(), "POST", path, token, "application/json", new byte[0]);
            assertEquals(400, empty.statusCode(), path + " -> " + empty.body());
            assertTrue(empty.body().contains("\"field\":\"body\""), empty.body());
        }

        String boundary = "b0undary";
        java.util.Map<String, String> multiparts = java.util.Map.of(
                "multipart/form-data; boundary=" + boundary, "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nabc\r\n--" + boundary + "--\r\n",
                "multipart/form-data; boundary=" + boundary + " ", "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"video\"\r\n\r\nabc",
                "multipart/form-data", "abc");
        for (var multipart : multiparts.entrySet()) {
            var response = ApiTestSupport.rest(target.getUri(), "POST", "/upload-video", token, multipart.getKey(),
                    multipart.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(400, response.statusCode(), multipart + " -> " + response.body());
            // no video part: "video"; a form that is not multipart at all: "body"
            assertTrue(response.body().matches(".*\"field\":\"(video|body)\".*"), response.body());
        }
        var notVideo = List.of(jakarta.ws.rs.core.EntityPart.withName("video").fileName("notes.mp4")
                .content("just text".getBytes()).mediaType("video/mp4").build());
        assertEquals(400, target.path("/upload-video").request().header("Authorization", "Bearer " + token)
                .post(jakarta.ws.rs.client.Entity.entity(new jakarta.ws.rs.core.GenericEntity<>(notVideo) { },
                        jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA)).getStatus());
        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class,
                () -> upload(user, "x.mp4", "not a video".repeat(50).getBytes()));
        assertEquals(Status.Code.INVALID_ARGUMENT, grpc.getStatus().getCode());
        assertEquals(0, ApiTestSupport.quotaRows(user), "the reserved units were given back, and their row with them");
        assertEquals(0, countTasks(user));
    }

    // ---------------------------------------------------------------- quota

    @Test
    void aFreeUsersSixthAnalysisThisMonthIsRefusedBeforeAnythingIsStored() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String token = TestTokens.shared().token(user, "user");
        LocalDate month = quota.policy().period(Instant.now());
        ApiTestSupport.setQuotaUsed(user, month, 4);

        // a rejected upload gives its unit back at once
        StatusRuntimeException notVideo = assertThrows(StatusRuntimeException.class,
                () -> upload(user, "x.mp4", "not a video".repeat(50).getBytes()));
        assertEquals(Status.Code.INVALID_ARGUMENT, notVideo.getStatus().getCode());
        assertEquals(4, ApiTestSupport.quotaUsed(user, month));

        upload(user, "fifth.avi", smallVideo());  // the 5th
        assertEquals(5, ApiTestSupport.quotaUsed(user, month));

        // refused again and again on one connection: each refusal still reads the client's bytes, so the HTTP/2
        // connection window is given back and the calls after it are not stalled
        for (int attempt = 0; attempt < 8; attempt++) {
            StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class,
                    () -> upload(user, "sixth.avi", smallVideo()));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, grpc.getStatus().getCode());
            assertTrue(grpc.getStatus().getDescription().contains("resets at " + quota.policy().resetsAt(Instant.now())
                    .atZone(quota.policy().zone()).toLocalDate()), grpc.getStatus().getDescription());
        }

        var parts = List.of(jakarta.ws.rs.core.EntityPart.withName("video").fileName("sixth.avi")
                .content(smallVideo()).mediaType("video/x-msvideo").build());
        jakarta.ws.rs.core.Response rest = target.path("/upload-video").request().header("Authorization", "Bearer " + token)
                .post(jakarta.ws.rs.client.Entity.entity(new jakarta.ws.rs.core.GenericEntity<>(parts) { },
                        jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA));
        String problem = rest.readEntity(String.class);
        assertEquals(429, rest.getStatus(), problem);
        assertEquals("application/problem+json", rest.getMediaType().toString());
        assertTrue(problem.contains("resets at"), problem);
        long retryAfter = Long.parseLong(rest.getHeaderString("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 31 * 24 * 3600, "Retry-After " + retryAfter);

        try (ApiTestSupport.Origin origin = new ApiTestSupport.Origin(smallVideo())) {
            StatusRuntimeException byUrl = assertThrows(StatusRuntimeException.class, () -> service(user).analyzeVideo(
                    AnalyzeVideoRequest.newBuilder().setVideoUrl("http://localhost:" + origin.port() + "/small.avi").build()));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, byUrl.getStatus().getCode());
            assertEquals(0, origin.hits("/small.avi"), "refused before downloading");
        }
        StatusRuntimeException uploadUrl = assertThrows(StatusRuntimeException.class, () -> service(user)
                .getUploadUrl(GetUploadUrlRequest.newBuilder().setFilename("x.avi").build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, uploadUrl.getStatus().getCode());

        assertEquals(1, countTasks(user), "only the 5th made a task");
        assertEquals(5, ApiTestSupport.quotaUsed(user, month));
        try (Stream<Path> incoming = Files.list(STORAGE.resolve("incoming"))) {
            assertEquals(0, incoming.count(), "no scratch file left");
        }

        // the quota as the original frontend reads it: POST with a user_id that, from a non-admin, is ignored
        for (var response : List.of(
                ApiTestSupport.rest(target.getUri(), "GET", "/analysis/quota", token, null, null),
                ApiTestSupport.rest(target.getUri(), "POST", "/analysis/quota", token, "application/json",
                        "{\"user_id\":\"someone-else\"}".getBytes()))) {
            assertEquals(200, response.statusCode(), response.body());
            var body = ApiTestSupport.json(response);
            assertEquals(5, body.getInt("used"));
            assertEquals(5, body.getInt("limit"));
            assertEquals(0, body.getInt("remaining"));
            assertEquals(false, body.getBoolean("premium"));
            assertEquals(quota.policy().resetsAt(Instant.now()), Instant.parse(body.getString("resets_at")));
        }
        assertEquals(401, ApiTestSupport.rest(target.getUri(), "GET", "/analysis/quota", null, null, null).statusCode());
    }

    @Test
    void concurrentUploadsAtTheLimitCountExactly() throws Exception {
        String user = "u-" + UUID.randomUUID();
        LocalDate month = quota.policy().period(Instant.now());
        ApiTestSupport.setQuotaUsed(user, month, 4);
        int uploads = 4;
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(uploads);
        try {
            List<java.util.concurrent.Future<Status.Code>> results = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        upload(user, "race.avi", smallVideo());
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            start.countDown();
            List<Status.Code> codes = new ArrayList<>();
            for (var result : results) {
                codes.add(result.get(90, TimeUnit.SECONDS));
            }
            assertEquals(1, codes.stream().filter(Status.Code.OK::equals).count(), codes.toString());
            assertEquals(uploads - 1, codes.stream().filter(Status.Code.RESOURCE_EXHAUSTED::equals).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, ApiTestSupport.quotaUsed(user, month));
        assertEquals(1, countTasks(user));
    }

    @Test
    void premiumUsersAreNotLimited() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String token = TestTokens.shared().token(user, "user", "premium");
        LocalDate month = quota.policy().period(Instant.now());
        ApiTestSupport.setQuotaUsed(user, month, 5);  // e.g. used up before subscribing
        CompletableFuture<UploadVideoResponse> done = new CompletableFuture<>();
        StreamObserver<UploadVideoRequest> requests = VideoAnalysisServiceGrpc.newStub(channel())
                .withInterceptors(GrpcClients.bearer(token)).uploadVideo(GrpcClients.completing(done));
        requests.onNext(UploadVideoRequest.newBuilder().setMetadata(VideoMetadata.newBuilder().setFilename("p.avi")).build());
        requests.onNext(UploadVideoRequest.newBuilder().setChunk(ByteString.copyFrom(smallVideo())).build());
        requests.onCompleted();
        assertEquals(36, done.get(60, TimeUnit.SECONDS).getTaskId().length());
        assertEquals(5, ApiTestSupport.quotaUsed(user, month), "nothing charged");

        var body = ApiTestSupport.json(ApiTestSupport.rest(target.getUri(), "GET", "/analysis/quota", token, null, null));
        assertEquals(-1, body.getInt("limit"));
        assertEquals(-1, body.getInt("remaining"));
        assertEquals(true, body.getBoolean("premium"));
    }

    @Test
    void aFailedAnalysisGivesItsUnitBack() throws Exception {
        String user = "u-" + UUID.randomUUID();
        LocalDate month = quota.policy().period(Instant.now());
        String taskId = UUID.randomUUID().toString();
        // a charged task whose stored video is gone: the worker's run fails
        ApiTestSupport.insertTask(taskId, user, "lost.mp4", "UPLOADED", Instant.now(), "0".repeat(64));
        ApiTestSupport.insertCharge(taskId, user, month);
        ApiTestSupport.setQuotaUsed(user, month, 3);
        KafkaTopics.send(EventType.VIDEO_UPLOADED.topic(), taskId, CloudEventCodec.encode(new CloudEvent(
                UUID.randomUUID().toString(), "/video-analysis-service", EventType.VIDEO_UPLOADED, Instant.now(), user,
                VideoUploaded.newBuilder().setTaskId(taskId).setUserId(user).build())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String stage;
        do {
            Thread.sleep(200);
            stage = service(user).getAnalysisStatus(GetAnalysisStatusRequest.newBuilder().setTaskId(taskId).build()).getStage();
        } while (!"FAILED".equals(stage) && System.nanoTime() < deadline);
        assertEquals("FAILED", stage);
        assertEquals(2, ApiTestSupport.quotaUsed(user, month), "the failed analysis does not count");

        UnifiedReport unified = service(user).getUnifiedResult(GetAnalysisResultRequest.newBuilder().setTaskId(taskId).build());
        assertEquals("FAILED", unified.getFinalVerdict());
        assertTrue(unified.getWarnings(0).startsWith("analysis failed"), unified.toString());
    }

    // ---------------------------------------------------------------- AnalyzeVideo

    @Test
    void analyzeVideoFetchesFromAnAllowListedHostAndRefusesEverythingElse() throws Exception {
        String user = "u-" + UUID.randomUUID();
        try (ApiTestSupport.Origin origin = new ApiTestSupport.Origin(smallVideo())) {
            String local = "http://localhost:" + origin.port();
            for (String url : List.of(
                    "http://127.0.0.1:" + origin.port() + "/small.avi",   // loopback: only the host name is allow-listed
                    "http://[::1]:" + origin.port() + "/small.avi",
                    "http://169.254.169.254/latest/meta-data/",           // cloud metadata
                    "http://10.1.2.3/video.mp4",
                    "ftp://localhost/small.avi",
                    "file:///etc/passwd",
                    "not a url",
                    "",
                    local + "/redirect-to-metadata",                     // every hop is checked
                    local + "/redirect-to-loopback",
                    local + "/too-large",                                // Content-Length over the limit
                    local + "/endless")) {                               // no length, streams past the limit
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> service(user)
                        .analyzeVideo(AnalyzeVideoRequest.newBuilder().setVideoUrl(url).build()), url);
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), url + ": " + e.getStatus());
                assertTrue(e.getStatus().getDescription().startsWith("video_url: "), e.getStatus().getDescription());
            }
            assertEquals(0, origin.hits("/small.avi"), "no refused URL was fetched, nor a refused redirect followed");

            long started = System.nanoTime();
            StatusRuntimeException stalled = assertThrows(StatusRuntimeException.class, () -> service(user)
                    .analyzeVideo(AnalyzeVideoRequest.newBuilder().setVideoUrl(local + "/stall").build()));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertEquals(Status.Code.INVALID_ARGUMENT, stalled.getStatus().getCode(), stalled.getStatus().toString());
            assertTrue(stalled.getStatus().getDescription().contains("within 4 s"), stalled.getStatus().getDescription());
            assertTrue(seconds < 10, "cut off at the 4 s deadline, took " + seconds + " s");

            assertEquals(0, countTasks(user));
            assertEquals(0, ApiTestSupport.quotaUsed(user, quota.policy().period(Instant.now())), "refusals cost nothing");
            try (Stream<Path> incoming = Files.list(STORAGE.resolve("incoming"))) {
                assertEquals(0, incoming.count(), "no scratch file left");
            }

            AnalyzeVideoResponse analysed = service(user).analyzeVideo(AnalyzeVideoRequest.newBuilder()
                    .setVideoUrl(local + "/redirect-to-video").setUserId("ignored-for-non-admins").build());
            assertEquals("PROCESSING", analysed.getVerdict());
            assertEquals(1, origin.hits("/small.avi"));
            List<AnalysisEvent> events = watch(user, analysed.getTaskId());
            assertTrue(events.get(events.size() - 1).getReport().getFacesFound() > 0);
            assertEquals(1, ApiTestSupport.quotaUsed(user, quota.policy().period(Instant.now())));
        }
    }

    // ---------------------------------------------------------------- GetUploadUrl, GetUnifiedResult, GET video

    @Test
    void aVideoUploadedThroughASignedUrlIsAnalysedAndReadBack() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String token = TestTokens.shared().token(user, "user");
        GetUploadUrlResponse issued = service(user).getUploadUrl(GetUploadUrlRequest.newBuilder()
                .setFilename("signed clip.avi").build());
        URI uploadUrl = URI.create(issued.getUploadUrl());
        assertTrue(issued.getUploadUrl().startsWith("http://localhost:8084/uploads/"), issued.getUploadUrl());
        long ttl = issued.getExpiresAt().getSeconds() - Instant.now().getEpochSecond();
        assertTrue(ttl > 14 * 60 && ttl <= 15 * 60, "expires in " + ttl + " s");
        String taskId = uploadUrl.getPath().substring("/uploads/".length());
        String pathAndQuery = uploadUrl.getRawPath() + "?" + uploadUrl.getRawQuery();  // reached here on the test's port

        // a tampered signature, a changed field and an expired URL are refused
        String tampered = pathAndQuery.substring(0, pathAndQuery.length() - 2)
                + (pathAndQuery.endsWith("AA") ? "BB" : "AA");
        var forged = ApiTestSupport.rest(target.getUri(), "PUT", tampered, null, "video/x-msvideo", smallVideo());
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        var otherOwner = ApiTestSupport.rest(target.getUri(), "PUT", pathAndQuery.replace("user_id=" + user,
                "user_id=u-attacker"), null, "video/x-msvideo", smallVideo());
        assertEquals(403, otherOwner.statusCode(), otherOwner.body());
        UploadGrant old = new UploadGrant(UUID.randomUUID().toString(), user, "old.avi", false,
                Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        var expired = ApiTestSupport.rest(target.getUri(), "PUT", "/uploads/" + old.taskId() + "?user_id=" + user
                + "&filename=old.avi&unlimited=0&expires=" + old.expiresAt().getEpochSecond() + "&signature="
                + uploadUrls.sign(old), null, "video/x-msvideo", smallVideo());
        assertEquals(410, expired.statusCode(), expired.body());
        assertEquals(0, countTasks(user));

        var put = ApiTestSupport.rest(target.getUri(), "PUT", pathAndQuery, null, "video/x-msvideo", smallVideo());
        assertEquals(202, put.statusCode(), put.body());
        assertEquals(taskId, ApiTestSupport.json(put).getString("task_id"));
        var again = ApiTestSupport.rest(target.getUri(), "PUT", pathAndQuery, null, "video/x-msvideo", smallVideo());
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(1, countTasks(user));
        assertEquals(1, ApiTestSupport.quotaUsed(user, quota.policy().period(Instant.now())));

        List<AnalysisEvent> events = watch(user, taskId);
        DeepfakeReport report = events.get(events.size() - 1).getReport();
        UnifiedReport unified = service(user).getUnifiedResult(GetAnalysisResultRequest.newBuilder().setTaskId(taskId).build());
        assertEquals(report.getVerdict(), unified.getFinalVerdict());
        assertEquals(report.getConfidenceScore(), unified.getConfidence());
        assertEquals(report.getVerdict(), unified.getVisual().getVerdict());
        assertEquals(8, unified.getVisual().getFramesAnalyzed());
        assertEquals(report.getFrameScoresCount(), unified.getVisual().getFramesCount());
        assertEquals("not_analyzed", unified.getAudio().getMethod());
        assertTrue(unified.getWarningsList().stream().anyMatch(w -> w.startsWith("audio was not analysed")), unified.toString());
        assertTrue(!unified.hasLipsync());
        assertEquals(report.getProcessingTimeMs(), unified.getTotalProcessingTimeMs());
        StatusRuntimeException notYours = assertThrows(StatusRuntimeException.class, () -> service("u-other")
                .getUnifiedResult(GetAnalysisResultRequest.newBuilder().setTaskId(taskId).build()));
        assertEquals(Status.Code.NOT_FOUND, notYours.getStatus().getCode());

        // video_url: the owner reads the bytes back; nobody else learns it exists
        String videoPath = URI.create(issued.getVideoUrl()).getPath();
        assertEquals("/videos/" + taskId, videoPath);
        var video = ApiTestSupport.restBytes(target.getUri(), videoPath, token);
        assertEquals(200, video.statusCode());
        assertTrue(Arrays.equals(smallVideo(), video.body()));
        assertEquals("video/x-msvideo", video.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, ApiTestSupport.restBytes(target.getUri(), videoPath, TestTokens.shared().token("u-other", "user"))
                .statusCode());
        assertEquals(200, ApiTestSupport.restBytes(target.getUri(), videoPath, TestTokens.shared().token("u-admin", "user",
                "admin")).statusCode());
        assertEquals(401, ApiTestSupport.restBytes(target.getUri(), videoPath, null).statusCode());

        // an unfinished task's unified result says PROCESSING
        String waiting = UUID.randomUUID().toString();
        ApiTestSupport.insertTask(waiting, user, "queued.mp4", "UPLOADED", Instant.now(), "0".repeat(64));
        assertEquals("PROCESSING", service(user).getUnifiedResult(GetAnalysisResultRequest.newBuilder()
                .setTaskId(waiting).build()).getFinalVerdict());
    }

    // ---------------------------------------------------------------- history

    @Test
    void historyPagesNewestFirstOverRest() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String token = TestTokens.shared().token(user, "user");
        Instant now = Instant.now();
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            ApiTestSupport.insertTask(id, user, "clip-" + i + ".mp4", i == 0 ? "COMPLETED" : i == 1 ? "FAILED" : "SCORING",
                    now.minusSeconds(60L * i), "0".repeat(64));
            newestFirst.add(id);
        }
        ApiTestSupport.insertResult(newestFirst.get(0), "FAKE", 0.91, "sbi-baseline-test");
        ApiTestSupport.insertTask(UUID.randomUUID().toString(), "u-someone-else", "theirs.mp4", "COMPLETED", now, "0".repeat(64));

        List<String> seen = new ArrayList<>();
        String pageToken = null;
        int pages = 0;
        do {
            var response = ApiTestSupport.rest(target.getUri(), "GET", "/analysis/history?page_size=2"
                    + (pageToken == null ? "" : "&page_token=" + pageToken), token, null, null);
            assertEquals(200, response.statusCode(), response.body());
            var body = ApiTestSupport.json(response);
            var items = body.getJsonArray("history");
            assertTrue(items.size() <= 2);
            items.forEach(item -> seen.add(item.asJsonObject().getString("task_id")));
            if (pages == 0) {
                var first = items.getJsonObject(0);
                assertEquals("FAKE", first.getString("final_verdict"));
                assertEquals(0.91, first.getJsonNumber("confidence").doubleValue(), 1e-9);
                assertEquals("sbi-baseline-test", first.getString("model_version"));
                assertTrue(first.isNull("ai_model"));
                assertEquals("COMPLETED", first.getString("stage"));
                assertEquals("clip-0.mp4", first.getString("filename"));
                assertTrue(first.getString("video_url").endsWith("/videos/" + newestFirst.get(0)));
                assertEquals(now.getEpochSecond(), Instant.parse(first.getString("created_at")).getEpochSecond());
                assertEquals("FAILED", items.getJsonObject(1).getString("final_verdict"));
            }
            pageToken = body.isNull("next_page_token") ? null : body.getString("next_page_token");
            pages++;
        } while (pageToken != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(newestFirst, seen);

        // the original frontend's POST with its own user_id: ignored for a user, honoured for an admin
        var posted = ApiTestSupport.json(ApiTestSupport.rest(target.getUri(), "POST", "/analysis/history", token,
                "application/json", "{\"user_id\":\"u-someone-else\"}".getBytes()));
        assertEquals(5, posted.getJsonArray("history").size());
        assertEquals("PROCESSING", posted.getJsonArray("history").getJsonObject(2).getString("final_verdict"));
        var asAdmin = ApiTestSupport.json(ApiTestSupport.rest(target.getUri(), "POST", "/analysis/history",
                TestTokens.shared().token("u-admin", "user", "admin"), "application/json",
                ("{\"user_id\":\"" + user + "\",\"page_size\":3}").getBytes()));
        assertEquals(newestFirst.subList(0, 3), asAdmin.getJsonArray("history").stream()
                .map(item -> item.asJsonObject().getString("task_id")).toList());

        var tooBig = ApiTestSupport.rest(target.getUri(), "GET", "/analysis/history?page_size=101", token, null, null);
        assertEquals(400, tooBig.statusCode());
        assertEquals("page_size", ApiTestSupport.json(tooBig).getString("field"));
        var badToken = ApiTestSupport.rest(target.getUri(), "GET", "/analysis/history?page_token=bm9wZQ", token, null, null);
        assertEquals(400, badToken.statusCode());
        assertEquals("page_token", ApiTestSupport.json(badToken).getString("field"));
        assertEquals(401, ApiTestSupport.rest(target.getUri(), "POST", "/analysis/history", null, "application/json",
                "{}".getBytes()).statusCode());
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] smallVideo;

    /** A 1 s 320x240 MJPEG clip with a face, made once. */
    private static synchronized byte[] smallVideo() throws java.io.IOException {
        if (smallVideo == null) {
            smallVideo = Files.readAllBytes(TestVideos.encode(VIDEOS, "small", TestVideos.image("astronaut.png"),
                    TestVideos.Format.MJPEG_AVI, 320, 240, 1));
        }
        return smallVideo;
    }

    private static long countTasks(String user) throws Exception {
        try (var connection = RealInfrastructure.currentDatabase().connect();
             var statement = connection.prepareStatement("SELECT count(*) FROM video_analysis.analysis_tasks WHERE user_id = ?")) {
            statement.setString(1, user);
            var rows = statement.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private UploadVideoResponse upload(String user, String filename, byte[] bytes) throws Exception {
        CompletableFuture<UploadVideoResponse> done = new CompletableFuture<>();
        StreamObserver<UploadVideoRequest> requests = VideoAnalysisServiceGrpc.newStub(channel())
                .withInterceptors(bearer(user)).uploadVideo(GrpcClients.completing(done));
        requests.onNext(UploadVideoRequest.newBuilder().setMetadata(VideoMetadata.newBuilder().setFilename(filename)
                .setContentType("video/mp4").setFileSize(bytes.length)).build());
        for (int offset = 0; offset < bytes.length; offset += 256 * 1024) {
            requests.onNext(UploadVideoRequest.newBuilder().setChunk(ByteString.copyFrom(bytes, offset,
                    Math.min(256 * 1024, bytes.length - offset))).build());
        }
        requests.onCompleted();
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                throw status;
            }
            throw e;
        }
    }

    private List<AnalysisEvent> watch(String user, String taskId) {
        List<AnalysisEvent> events = new ArrayList<>();
        service(user).withDeadlineAfter(120, TimeUnit.SECONDS)
                .watchAnalysis(WatchAnalysisRequest.newBuilder().setTaskId(taskId).build())
                .forEachRemaining(events::add);
        assertTrue(!events.isEmpty());
        assertEquals(AnalysisStage.COMPLETED, events.get(events.size() - 1).getStage(), events.toString());
        return events;
    }

    private VideoAnalysisServiceGrpc.VideoAnalysisServiceBlockingStub service(String user) {
        return VideoAnalysisServiceGrpc.newBlockingStub(channel()).withInterceptors(bearer(user))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static io.grpc.ClientInterceptor bearer(String user) {
        return GrpcClients.bearer(TestTokens.shared().token(user, "user"));
    }

    private ManagedChannel channel() {
        if (channel == null) {
            channel = GrpcClients.plaintext(target.getUri().getPort());
        }
        return channel;
    }
}
