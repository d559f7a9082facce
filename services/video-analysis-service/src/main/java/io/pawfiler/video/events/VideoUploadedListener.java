package io.pawfiler.video.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pawfiler.api.events.VideoUploaded;
import io.pawfiler.platform.events.CloudEvent;
import io.pawfiler.platform.events.CloudEventCodec;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.video.service.AnalysisWorker;

/**
 * video.uploaded → one pipeline run. Instances share a consumer group, so more instances analyse more videos at
 * once. The task's own state makes this idempotent (a finished task is not run again), so the long analysis does
 * not sit inside an inbox transaction; the offset is committed only after the run, so a worker that dies mid-way
 * leaves the event to be delivered again (bounded by the task's attempt counter).
 */
@ApplicationScoped
public class VideoUploadedListener {

    private static final System.Logger LOGGER = System.getLogger(VideoUploadedListener.class.getName());

    @Inject
    AnalysisWorker worker;

    @Incoming("video-uploaded")
    public CompletionStage<Void> onVideoUploaded(Message<String> message) {
        String taskId;
        try {
            CloudEvent event = CloudEventCodec.decode(message.getPayload());
            if (event.type() != EventType.VIDEO_UPLOADED) {
                throw new CloudEventCodec.MalformedEventException("unexpected type " + event.type().typeName());
            }
            taskId = event.dataAs(VideoUploaded.class).getTaskId();
        } catch (RuntimeException malformed) {
            LOGGER.log(System.Logger.Level.WARNING, "poison video.uploaded sent to the dead-letter topic: "
                    + malformed.getMessage());
            CompletionStage<Void> nacked = message.nack(malformed);
            return nacked != null ? nacked : CompletableFuture.completedFuture(null);
        }
        if (!worker.process(taskId)) {
            LOGGER.log(System.Logger.Level.DEBUG, () -> "video.uploaded for finished task " + taskId + " ignored");
        }
        if (Thread.currentThread().isInterrupted()) {
            // the run was cut short by a shutdown: no acknowledgement, so the offset stays and the task (unfinished)
            // is delivered again to whichever instance owns its partition next
            LOGGER.log(System.Logger.Level.WARNING, "shutting down during the run of task " + taskId
                    + "; left for redelivery");
            return new CompletableFuture<>();
        }
        return message.ack();
    }
}
