package io.pawfiler.video.api;

import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

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
import io.pawfiler.api.video.LogEntry;
import io.pawfiler.api.video.UnifiedReport;
import io.pawfiler.api.video.UploadVideoRequest;
import io.pawfiler.api.video.UploadVideoResponse;
import io.pawfiler.api.video.VideoAnalysisServiceGrpc;
import io.pawfiler.api.video.WatchAnalysisRequest;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.grpc.GrpcErrorMappingInterceptor;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.video.domain.MonthlyQuota;
import io.pawfiler.video.service.AnalysisQuota;
import io.pawfiler.video.service.Submissions;
import io.pawfiler.video.service.TaskLedger;
import io.pawfiler.video.service.UploadUrls;
import io.pawfiler.video.service.VideoDownloader;
import io.pawfiler.video.service.VideoIntake;
import io.pawfiler.video.store.TaskStore;

/**
 * {@code video_analysis.VideoAnalysisService}: streamed upload, analysis by URL, signed upload URLs, status, result
 * (plain and unified), and a live stage feed.
 */
@Dependent
public class VideoAnalysisGrpcService extends VideoAnalysisServiceGrpc.VideoAnalysisServiceImplBase {

    private static final List<String> STAGES = List.of("UPLOADED", "DECODING", "DETECTING_FACES", "SCORING",
            "COMPLETED");

    @Inject
    Submissions submissions;

    @Inject
    VideoIntake intake;

    @Inject
    TaskLedger ledger;

    @Inject
    AnalysisQuota quota;

    @Inject
    VideoDownloader downloader;

    @Inject
    UploadUrls uploadUrls;

    @Inject
    CallerContext callers;

    /**
     * Metadata first, then chunks; the quota unit is taken with the first message (a call whose first message the
     * platform refuses as malformed takes nothing), the bytes go to a scratch file.
     * A refused upload (quota, size, not a video) keeps reading and dropping what the client still sends and answers
     * the error when the client is done: Helidon 4.1.2 does not credit the HTTP/2 connection's flow-control window
     * for data that arrives on a call it already closed, so an early answer would slowly stall every other call
     * sharing the client's connection (seen in VideoAnalysisIT). A client that keeps sending more than the size
     * limit after a refusal is cut off at once.
     */
    @Override
    public StreamObserver<UploadVideoRequest> uploadVideo(StreamObserver<UploadVideoResponse> response) {
        Upload upload = new Upload(response, AnalysisQuota.Owner.of(callers.require()));
        // A call can end without this observer hearing of it: the platform answers a later malformed message itself
        // (CheckedRequests), and a client may cancel. Either way the unit and the scratch file are given back.
        if (response instanceof ServerCallStreamObserver<UploadVideoResponse> call) {
            call.setOnCloseHandler(upload::release);
            call.setOnCancelHandler(upload::release);
        }
        return upload;
    }

    private final class Upload implements StreamObserver<UploadVideoRequest> {
        private final StreamObserver<UploadVideoResponse> response;
        private final AnalysisQuota.Owner owner;
        private Submissions.Submission submission;
        private RuntimeException refusal;
        private long dropped;
        private boolean answered;
        private String filename = "upload";
        private String contentType = "application/octet-stream";

        Upload(StreamObserver<UploadVideoResponse> response, AnalysisQuota.Owner owner) {
            this.response = response;
            this.owner = owner;
        }

        @Override
        public void onNext(UploadVideoRequest request) {
            if (answered) {
                return;
            }
            if (submission == null && refusal == null) {
                try {
                    submission = submissions.open(owner, null);
                } catch (RuntimeException refused) {
                    refusal = refused;
                }
            }
            if (refusal != null) {
                dropped += request.getChunk().size();
                if (dropped > intake.maxBytes()) {
                    answer(refusal);
                }
                return;
            }
            try {
                if (request.hasMetadata()) {
                    if (!request.getMetadata().getFilename().isBlank()) {
                        filename = request.getMetadata().getFilename();
                    }
                    if (!request.getMetadata().getContentType().isBlank()) {
                        contentType = request.getMetadata().getContentType();
                    }
                } else {
                    submission.write(request.getChunk().toByteArray());
                }
            } catch (RuntimeException e) {
                refusal = e;
                submission.close();
            }
        }

        @Override
        public void onError(Throwable t) {
            answered = true;
            release();
        }

        /** Frees what an unfinished upload holds (no-op once its task exists, or when already released). */
        void release() {
            if (submission != null) {
                submission.close();
            }
        }

        @Override
        public void onCompleted() {
            if (answered) {
                return;
            }
            if (refusal != null) {
                answer(refusal);
                return;
            }
            if (submission == null) {
                answer(ApiException.invalidArgument("video", "is empty (no message was sent)"));
                return;
            }
            try (Submissions.Submission finishing = submission) {
                TaskStore.Task task = finishing.finish(filename, contentType);
                answered = true;
                response.onNext(UploadVideoResponse.newBuilder().setTaskId(task.id())
                        .setMessage("uploaded; analysis queued").setVideoSha256(task.sha256())
                        .setSizeBytes(task.sizeBytes()).build());
                response.onCompleted();
            } catch (RuntimeException e) {
                answer(e);
            }
        }

        private void answer(RuntimeException failure) {
            answered = true;
            GrpcErrorMappingInterceptor.fail(response, failure);
        }
    }

    /** Downloads the video (SSRF-guarded, size- and time-bounded) and queues it like an upload. */
    @Override
    public void analyzeVideo(AnalyzeVideoRequest request, StreamObserver<AnalyzeVideoResponse> response) {
        TaskStore.Task task = downloader.download(owner(request.getUserId()), request.getVideoUrl());
        response.onNext(AnalyzeVideoResponse.newBuilder().setTaskId(task.id()).setVerdict("PROCESSING")
                .setMessage("downloaded; analysis queued").build());
        response.onCompleted();
    }

    /** A signed URL to PUT the bytes to without a token; refused at once when the quota is used up. */
    @Override
    public void getUploadUrl(GetUploadUrlRequest request, StreamObserver<GetUploadUrlResponse> response) {
        AnalysisQuota.Owner owner = owner(request.getUserId());
        quota.requireAvailable(owner);
        UploadUrls.Issued issued = uploadUrls.issue(owner, request.getFilename());
        response.onNext(GetUploadUrlResponse.newBuilder().setUploadUrl(issued.uploadUrl()).setVideoUrl(issued.videoUrl())
                .setExpiresAt(Timestamp.newBuilder().setSeconds(issued.expiresAt().getEpochSecond())).build());
        response.onCompleted();
    }

    @Override
    public void getUnifiedResult(GetAnalysisResultRequest request, StreamObserver<UnifiedReport> response) {
        TaskStore.Task task = ownTask(request.getTaskId());
        response.onNext(UnifiedReports.of(report(task)));
        response.onCompleted();
    }

    @Override
    public void getAnalysisStatus(GetAnalysisStatusRequest request, StreamObserver<AnalysisStatus> response) {
        TaskStore.Task task = ownTask(request.getTaskId());
        AnalysisStatus.Builder status = AnalysisStatus.newBuilder().setTaskId(task.id()).setStage(task.stage())
                .setProgressPercent(progress(task.stage()));
        if (task.failureReason() != null && !task.failureReason().isBlank()) {
            status.setFailureReason(task.failureReason());
        }
        for (TaskStore.LogLine line : ledger.logs(task.id())) {
            status.addLogs(LogEntry.newBuilder().setTimestamp(line.at().toString()).setMessage(line.message())
                    .setType(line.level()));
        }
        response.onNext(status.build());
        response.onCompleted();
    }

    @Override
    public void getAnalysisResult(GetAnalysisResultRequest request, StreamObserver<DeepfakeReport> response) {
        TaskStore.Task task = ownTask(request.getTaskId());
        response.onNext(report(task));
        response.onCompleted();
    }

    /** Pushes each stage as it is reached (polling the task, so it works across instances) and ends with the report. */
    @Override
    public void watchAnalysis(WatchAnalysisRequest request, StreamObserver<AnalysisEvent> response) {
        TaskStore.Task task = ownTask(request.getTaskId());
        ServerCallStreamObserver<AnalysisEvent> stream = (ServerCallStreamObserver<AnalysisEvent>) response;
        int sent = -1;
        long deadline = System.nanoTime() + 10 * 60 * 1_000_000_000L;
        while (!stream.isCancelled() && System.nanoTime() < deadline) {
            task = ledger.find(task.id()).orElseThrow();
            if ("FAILED".equals(task.stage())) {
                response.onNext(AnalysisEvent.newBuilder().setTaskId(task.id()).setStage(AnalysisStage.FAILED)
                        .setFailureReason(task.failureReason()).setMessage("analysis failed").build());
                break;
            }
            int reached = STAGES.indexOf(task.stage());
            // stages passed between two polls are still reported, in order
            for (int stage = sent + 1; stage <= reached; stage++) {
                AnalysisEvent.Builder event = AnalysisEvent.newBuilder().setTaskId(task.id())
                        .setStage(AnalysisStage.valueOf(STAGES.get(stage))).setProgressPercent(progress(STAGES.get(stage)))
                        .setMessage(STAGES.get(stage).toLowerCase().replace('_', ' '));
                if (stage == STAGES.size() - 1) {
                    event.setReport(report(task));
                }
                response.onNext(event.build());
            }
            sent = Math.max(sent, reached);
            if (task.finished()) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!stream.isCancelled()) {
            response.onCompleted();
        }
    }

    private DeepfakeReport report(TaskStore.Task task) {
        if (!task.finished()) {
            return DeepfakeReport.newBuilder().setTaskId(task.id()).setVerdict("PROCESSING").setStage(task.stage()).build();
        }
        if ("FAILED".equals(task.stage())) {
            return DeepfakeReport.newBuilder().setTaskId(task.id()).setStage("FAILED")
                    .setFailureReason(task.failureReason()).build();
        }
        try {
            return DeepfakeReport.parseFrom(ledger.report(task.id()).orElseThrow());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored report unreadable", e);
        }
    }

    private TaskStore.Task ownTask(String taskId) {
        if (taskId == null || taskId.isBlank()) {
            throw ApiException.invalidArgument("task_id", "is required");
        }
        Caller caller = callers.require();
        TaskStore.Task task = ledger.find(taskId).orElseThrow(() -> ApiException.notFound("no task " + taskId));
        if (!task.userId().equals(caller.userId()) && !caller.isAdmin()) {
            throw ApiException.notFound("no task " + taskId);  // not "forbidden": don't confirm it exists
        }
        return task;
    }

    /**
     * Whom a request is for: the caller, or the user an admin names ({@code user_id} from other callers is the
     * original frontend's hint, ignored). The quota follows the caller's own token: an admin is unlimited.
     */
    private AnalysisQuota.Owner owner(String requestedUserId) {
        Caller caller = callers.require();
        return new AnalysisQuota.Owner(caller.subjectOrAdminChoice(requestedUserId),
                MonthlyQuota.unlimited(caller.roles()));
    }

    private static int progress(String stage) {
        return switch (stage) {
            case "UPLOADED" -> 5;
            case "DECODING" -> 25;
            case "DETECTING_FACES" -> 55;
            case "SCORING" -> 85;
            default -> 100;
        };
    }
}
