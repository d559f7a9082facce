package io.pawfiler.video.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.api.video.GetAnalysisResultRequest;
import io.pawfiler.api.video.GetAnalysisStatusRequest;
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
import io.pawfiler.video.pipeline.TestVideos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uploads over real gRPC streaming into a real pipeline, with real PostgreSQL and Kafka. */
@ExtendWith(RealInfrastructure.class)
@HelidonTest
@AddConfig(key = "pawfiler.video.storage-dir", value = "target/it-videos")
@AddConfig(key = "pawfiler.video.max-upload-bytes", value = "3000000")
@AddConfig(key = "pawfiler.video.frames", value = "8")
class VideoAnalysisIT {

    private static final Path VIDEOS = Path.of("target/it-test-videos");
    private static final Path STORAGE = Path.of("target/it-videos");
    private static ManagedChannel channel;

    @Inject
    WebTarget target;

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

    // ---------------------------------------------------------------- helpers

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
                .withInterceptors(bearer(user)).uploadVideo(new StreamObserver<>() {
                    @Override
                    public void onNext(UploadVideoResponse value) {
                        done.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
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
