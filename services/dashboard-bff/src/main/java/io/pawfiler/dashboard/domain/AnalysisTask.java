package io.pawfiler.dashboard.domain;

import java.time.Instant;

/**
 * One video analysis as the dashboard knows it, merged from video.uploaded and analysis.completed in whichever
 * order they arrive (they are keyed by task, on different topics).
 *
 * @param status UPLOADED (still running), COMPLETED or FAILED
 */
public record AnalysisTask(String taskId, String userId, String filename, String status, String verdict,
                           double confidence, Instant uploadedAt, Instant completedAt) {

    public static final String UPLOADED = "UPLOADED";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    /** The upload: fills in what only it knows; an outcome that arrived first stays (never back to UPLOADED). */
    public static AnalysisTask uploaded(AnalysisTask current, String taskId, String userId, String filename,
                                        Instant uploadedAt) {
        if (current == null) {
            return new AnalysisTask(taskId, userId, filename, UPLOADED, "", 0, uploadedAt, null);
        }
        return new AnalysisTask(taskId, current.userId(), filename.isEmpty() ? current.filename() : filename,
                current.status(), current.verdict(), current.confidence(), uploadedAt, current.completedAt());
    }

    /** The outcome: the newest completion wins (a retried task may end twice). */
    public static AnalysisTask completed(AnalysisTask current, String taskId, String userId, String filename,
                                         String status, String verdict, double confidence, Instant completedAt) {
        if (current != null && current.completedAt() != null && !completedAt.isAfter(current.completedAt())) {
            return current;
        }
        String name = filename.isEmpty() && current != null ? current.filename() : filename;
        return new AnalysisTask(taskId, current == null ? userId : current.userId(), name, status,
                FAILED.equals(status) ? "" : verdict, FAILED.equals(status) ? 0 : confidence,
                current == null ? null : current.uploadedAt(), completedAt);
    }

    /** Newest first in the dashboard: by upload time, or completion time while the upload is unknown. */
    public Instant sortTime() {
        return uploadedAt != null ? uploadedAt : completedAt;
    }
}
