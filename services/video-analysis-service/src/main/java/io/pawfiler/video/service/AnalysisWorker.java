package io.pawfiler.video.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.api.video.ManipulatedRegion;
import io.pawfiler.video.pipeline.DeepfakePipeline;
import io.pawfiler.video.store.TaskStore.Task;
import io.pawfiler.video.store.VideoStorage;

/** Runs the pipeline for one task: claim, stages as they happen, then the result or the failure. */
@ApplicationScoped
public class AnalysisWorker {

    private static final System.Logger LOGGER = System.getLogger(AnalysisWorker.class.getName());

    /** Runs of one task after a memory shortage before it is marked FAILED. */
    static final int MEMORY_RETRIES = 3;

    @Inject
    TaskLedger ledger;

    @Inject
    VideoStorage storage;

    @Inject
    Models models;

    @Inject
    MetricRegistry metrics;

    /** @return false when there was nothing to do (finished or given up) */
    public boolean process(String taskId) {
        Task task = ledger.claim(taskId).orElse(null);
        if (task == null) {
            return false;
        }
        DeepfakePipeline pipeline = models.pipeline().orElse(null);
        if (pipeline == null) {
            ledger.fail(taskId, "the models are not loaded on this instance");
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Path video = storage.open(task.storageKey());
                DeepfakePipeline.Report report = pipeline.analyze(video, stage -> ledger.advance(taskId, stage.name(),
                        stage.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " started"));
                report.stageTimes().forEach((stage, time) ->
                        metrics.timer("video_analysis_stage", new Tag("stage", stage.name())).update(time));
                metrics.timer("video_analysis").update(report.processingTime());
                ledger.complete(task, toProto(taskId, report),
                        Double.isNaN(report.fakeProbability()) ? null : report.fakeProbability());
                return true;
            } catch (OutOfMemoryError e) {
                // JavaCPP refuses native allocations above its physical-memory ceiling (or the heap is full): a
                // shortage, not a bad video. Let the collector release what it can and try again; the task is never
                // left half-way (it ends COMPLETED or FAILED).
                if (attempt >= MEMORY_RETRIES) {
                    LOGGER.log(System.Logger.Level.ERROR, "analysis of task " + taskId + " ran out of memory " + attempt
                            + " times; giving up", e);
                    ledger.fail(taskId, "the service ran out of memory analysing this video; upload it again later");
                    return true;
                }
                LOGGER.log(System.Logger.Level.WARNING, "analysis of task " + taskId + " ran out of memory ("
                        + e.getMessage() + "); retrying");
                System.gc();
                if (!pause(Duration.ofSeconds(2L * attempt))) {
                    // shutting down (interrupted): the listener leaves the event unacknowledged, so the unfinished
                    // task is taken again on redelivery
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "analysis of task " + taskId + " failed", e);
                ledger.fail(taskId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                return true;
            }
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static DeepfakeReport toProto(String taskId, DeepfakePipeline.Report report) {
        DeepfakeReport.Builder out = DeepfakeReport.newBuilder()
                .setTaskId(taskId)
                .setVerdict(report.verdict().name())
                .setVerdictReason(report.reason().code())
                // the calibrated probability of "fake"; 0 when no face (verdict_reason says no_face)
                .setConfidenceScore(Double.isNaN(report.fakeProbability()) ? 0 : report.fakeProbability())
                .setFrameSamplesAnalyzed(report.framesAnalysed())
                .setFacesFound(report.facesFound())
                .setModelVersion(report.modelVersion())
                .setProcessingTimeMs((int) report.processingTime().toMillis())
                .setStage("COMPLETED")
                .setCompletedAt(TaskLedger.timestamp(java.time.Instant.now()));
        if (!Double.isNaN(report.fakeProbability())) {
            out.setCalibratedFakeProbability(report.fakeProbability());
        }
        if (!Double.isNaN(report.rawScore())) {
            out.setRawScore(report.rawScore());
        }
        if (!Double.isNaN(report.heldoutAuc())) {
            out.setModelHeldoutAuc(report.heldoutAuc());
        }
        if (report.band().hasFakeSide()) {
            out.setFakeThreshold(report.band().fakeAtOrAbove());
        }
        if (report.band().hasRealSide()) {
            out.setRealThreshold(report.band().realAtOrBelow());
        }
        for (DeepfakePipeline.ScoredFace face : report.mostSuspicious()) {
            out.addManipulatedRegions(ManipulatedRegion.newBuilder()
                    .setLabel("face").setConfidence(face.score()).setFrameIndex(face.frameIndex())
                    .setTimestampMs(face.timestampMillis()).setX((float) face.x()).setY((float) face.y())
                    .setWidth((float) face.width()).setHeight((float) face.height()));
        }
        return out.build();
    }
}
