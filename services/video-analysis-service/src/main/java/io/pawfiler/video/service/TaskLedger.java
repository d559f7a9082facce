package io.pawfiler.video.service;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.api.events.AnalysisCompleted;
import io.pawfiler.api.events.VideoUploaded;
import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;
import io.pawfiler.video.store.QuotaStore;
import io.pawfiler.video.store.TaskStore;
import io.pawfiler.video.store.TaskStore.Task;

/** Every state change of a task, each in its own transaction, with its log line and, where due, its event. */
@ApplicationScoped
public class TaskLedger {

    private static final System.Logger LOGGER = System.getLogger(TaskLedger.class.getName());

    @Inject
    TaskStore store;

    @Inject
    Outbox outbox;

    @Inject
    QuotaStore quota;

    @Inject
    @ConfigProperty(name = "pawfiler.video.max-attempts")
    int maxAttempts;

    /** The task row (UPLOADED) and {@code video.uploaded}, together. */
    @Transactional
    public Task create(String userId, String filename, String contentType, VideoIntake.Accepted video) {
        return create(UUID.randomUUID().toString(), userId, filename, contentType, video, null);
    }

    /**
     * The same under a given id (a signed upload URL's), charged to the quota {@code reservation} (null: free of
     * charge) in the same transaction.
     */
    @Transactional
    public Task create(String taskId, String userId, String filename, String contentType, VideoIntake.Accepted video,
                       AnalysisQuota.Reservation reservation) {
        Instant now = Instant.now();
        Task task = new Task(taskId, userId, video.sha256(), filename, contentType,
                video.sizeBytes(), "UPLOADED", 0, null);
        store.create(task, now);
        if (reservation != null && reservation.period() != null) {
            quota.charge(task.id(), reservation.owner().userId(), reservation.period());
        }
        store.log(task.id(), "UPLOADED", "INFO", "stored " + video.sizeBytes() + " bytes, " + video.probe().width() + "x"
                + video.probe().height() + " " + video.probe().codec() + ", "
                + Math.round(video.probe().durationMicros() / 1e5) / 10.0 + " s", now);
        outbox.publish(EventType.VIDEO_UPLOADED, task.id(), VideoUploaded.newBuilder()
                .setTaskId(task.id()).setUserId(userId).setVideoSha256(video.sha256()).setStorageKey(video.storageKey())
                .setSizeBytes(video.sizeBytes()).setFilename(filename).setContentType(contentType)
                .setUploadedAt(timestamp(now)).build());
        return task;
    }

    /**
     * Takes the task for a worker run: empty when it is finished (a redelivered event) or has used up its attempts
     * (then it is marked FAILED). A run that died mid-way left the task unfinished, so it is taken again.
     */
    @Transactional
    public Optional<Task> claim(String taskId) {
        Optional<Task> found = store.find(taskId, true);
        if (found.isEmpty() || found.get().finished()) {
            return Optional.empty();
        }
        Task task = found.get();
        if (task.attempts() >= maxAttempts) {
            fail(task, "gave up after " + task.attempts() + " interrupted attempts", Instant.now());
            return Optional.empty();
        }
        store.setStage(taskId, "DECODING", null, true, Instant.now());
        return Optional.of(task);
    }

    @Transactional
    public void advance(String taskId, String stage, String message) {
        Instant now = Instant.now();
        store.setStage(taskId, stage, null, false, now);
        store.log(taskId, stage, "INFO", message, now);
    }

    /**
     * The result, COMPLETED and {@code analysis.completed}, unless the task is finished already (a second run of it,
     * e.g. an instance still running a task whose partition a rebalance moved): the first outcome stands.
     *
     * @return false if the task was finished already and nothing was written
     */
    @Transactional
    public boolean complete(Task task, DeepfakeReport report, Double fakeScore) {
        Instant now = Instant.now();
        Optional<Task> current = store.find(task.id(), true);
        if (current.isEmpty() || current.get().finished()) {
            LOGGER.log(System.Logger.Level.WARNING, "task " + task.id() + " finished by another run ("
                    + current.map(Task::stage).orElse("gone") + "); this run's result is dropped");
            return false;
        }
        store.saveResult(task.id(), report.getVerdict(), fakeScore, report.getFacesFound(), report.getModelVersion(),
                report.toByteArray(), now);
        store.setStage(task.id(), "COMPLETED", null, false, now);
        store.log(task.id(), "COMPLETED", "INFO", "verdict " + report.getVerdict() + ", " + report.getFacesFound()
                + " faces in " + report.getFrameSamplesAnalyzed() + " frames", now);
        outbox.publish(EventType.ANALYSIS_COMPLETED, task.id(), AnalysisCompleted.newBuilder()
                .setTaskId(task.id()).setUserId(task.userId()).setStatus("COMPLETED").setVerdict(report.getVerdict())
                .setVerdictReason(report.getVerdictReason())
                .setConfidenceScore(report.getConfidenceScore()).setFramesAnalyzed(report.getFrameSamplesAnalyzed())
                .setFacesFound(report.getFacesFound()).setModelVersion(report.getModelVersion())
                .setProcessingTimeMs(report.getProcessingTimeMs()).setCompletedAt(timestamp(now))
                .setFilename(task.filename()).build());
        return true;
    }

    /** FAILED with the reason and {@code analysis.completed}, unless the task is finished already (see complete). */
    @Transactional
    public void fail(String taskId, String reason) {
        store.find(taskId, true).ifPresent(task -> {
            if (task.finished()) {
                LOGGER.log(System.Logger.Level.WARNING, "task " + taskId + " finished by another run (" + task.stage()
                        + "); this run's failure is dropped: " + reason);
            } else {
                fail(task, reason, Instant.now());
            }
        });
    }

    private void fail(Task task, String reason, Instant now) {
        store.setStage(task.id(), "FAILED", reason, false, now);
        quota.refund(task.id());  // our failure, not the user's: the analysis does not count
        store.log(task.id(), "FAILED", "ERROR", reason, now);
        outbox.publish(EventType.ANALYSIS_COMPLETED, task.id(), AnalysisCompleted.newBuilder()
                .setTaskId(task.id()).setUserId(task.userId()).setStatus("FAILED").setFailureReason(reason)
                .setCompletedAt(timestamp(now)).setFilename(task.filename()).build());
    }

    /** Tasks uploaded or being analysed: the work queue's depth. */
    @Transactional
    public long pending() {
        return store.pending();
    }

    @Transactional
    public Optional<Task> find(String taskId) {
        return store.find(taskId, false);
    }

    @Transactional
    public java.util.List<TaskStore.LogLine> logs(String taskId) {
        return store.logs(taskId);
    }

    @Transactional
    public Optional<byte[]> report(String taskId) {
        return store.report(taskId);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
