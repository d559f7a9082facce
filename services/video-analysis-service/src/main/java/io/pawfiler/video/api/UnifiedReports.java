package io.pawfiler.video.api;

import io.pawfiler.api.video.AudioAnalysis;
import io.pawfiler.api.video.DeepfakeReport;
import io.pawfiler.api.video.UnifiedReport;
import io.pawfiler.api.video.VisualAnalysis;

/**
 * {@code GetUnifiedResult} from the stored {@link DeepfakeReport}. The original app's report was multimodal; this
 * backend analyses frames only, so {@code visual} carries the result, {@code audio} says it was not analysed
 * ({@code method: "not_analyzed"}) rather than pretending a real voice, and {@code lipsync} stays unset.
 */
final class UnifiedReports {

    static final String NOT_ANALYZED = "not_analyzed";
    static final String AUDIO_WARNING = "audio was not analysed: this service judges the video frames only";
    static final String LIPSYNC_WARNING = "lip sync was not analysed: this service judges the video frames only";

    private UnifiedReports() {
    }

    static UnifiedReport of(DeepfakeReport report) {
        UnifiedReport.Builder unified = UnifiedReport.newBuilder().setTaskId(report.getTaskId());
        if ("FAILED".equals(report.getStage())) {
            return unified.setFinalVerdict("FAILED").addWarnings("analysis failed: " + report.getFailureReason()).build();
        }
        if ("PROCESSING".equals(report.getVerdict())) {
            return unified.setFinalVerdict("PROCESSING").build();
        }
        VisualAnalysis.Builder visual = VisualAnalysis.newBuilder().setVerdict(report.getVerdict())
                .setConfidence(report.getConfidenceScore()).setFramesAnalyzed(report.getFrameSamplesAnalyzed())
                .addAllFrames(report.getFrameScoresList());
        return unified.setFinalVerdict(report.getVerdict()).setConfidence(report.getConfidenceScore())
                .setVisual(visual)
                .setAudio(AudioAnalysis.newBuilder().setMethod(NOT_ANALYZED))
                .addWarnings(AUDIO_WARNING).addWarnings(LIPSYNC_WARNING)
                .setTotalProcessingTimeMs(report.getProcessingTimeMs())
                .build();
    }
}
