package io.pawfiler.video.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.video.store.TaskStore;

/**
 * One way in for every video, whatever carries it (REST multipart, gRPC stream, URL download, signed upload URL):
 * quota first, then the bytes through {@link VideoIntake}, then the task. Nothing is stored, and no unit stays
 * taken, for an upload that is refused or fails before its task exists.
 */
@ApplicationScoped
public class Submissions {

    @Inject
    AnalysisQuota quota;

    @Inject
    VideoIntake intake;

    @Inject
    TaskLedger ledger;

    /**
     * Reserves the owner's unit (RESOURCE_EXHAUSTED when none is left) and opens a scratch file for the bytes.
     *
     * @param taskId the id the task will get (a signed upload URL's), or null for a new one
     */
    public Submission open(AnalysisQuota.Owner owner, String taskId) {
        AnalysisQuota.Reservation reservation = quota.reserve(owner);
        try {
            return new Submission(reservation, taskId == null ? UUID.randomUUID().toString() : taskId, intake.begin());
        } catch (RuntimeException e) {
            quota.release(reservation);
            throw e;
        }
    }

    /** A whole stream as one submission. */
    public TaskStore.Task submit(AnalysisQuota.Owner owner, String taskId, InputStream in, String filename,
                                 String contentType) {
        try (Submission submission = open(owner, taskId)) {
            submission.copy(in);
            return submission.finish(filename, contentType);
        }
    }

    /** An upload in progress. Close it in every case: unless it finished, that deletes the bytes and frees the unit. */
    public final class Submission implements AutoCloseable {
        private final AnalysisQuota.Reservation reservation;
        private final String taskId;
        private final VideoIntake.Upload upload;
        private boolean finished;

        private Submission(AnalysisQuota.Reservation reservation, String taskId, VideoIntake.Upload upload) {
            this.reservation = reservation;
            this.taskId = taskId;
            this.upload = upload;
        }

        public void write(byte[] chunk) {
            upload.write(chunk);
        }

        public void copy(InputStream in) {
            byte[] buffer = new byte[64 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (read > 0) {
                        upload.write(read == buffer.length ? buffer : Arrays.copyOf(buffer, read));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Verifies and stores the bytes, then creates the task (charged to the reservation) and its event. */
        public TaskStore.Task finish(String filename, String contentType) {
            VideoIntake.Accepted video = upload.finish();
            TaskStore.Task task = ledger.create(taskId, reservation.owner().userId(), filename, contentType, video,
                    reservation);
            reservation.settle();  // committed: the unit is the task's now
            finished = true;
            return task;
        }

        @Override
        public void close() {
            try {
                upload.close();
            } finally {
                if (!finished) {
                    quota.release(reservation);
                }
            }
        }
    }
}
