package io.pawfiler.video.api;

import java.io.IOException;
import java.nio.file.Path;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.rest.Problem;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.video.service.TaskLedger;
import io.pawfiler.video.store.TaskStore;
import io.pawfiler.video.store.VideoStorage;

/** {@code GET /videos/{task_id}}: a task's stored video, for its owner (or an admin). The {@code video_url} of the API. */
@jakarta.ws.rs.Path("/videos/{task_id}")
@RequestScoped
@Tag(name = "videos")
public class VideoFileResource {

    @Inject
    TaskLedger ledger;

    @Inject
    VideoStorage storage;

    @Inject
    CallerContext callers;

    @GET
    @RolesAllowed("user")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Download the video of one of the caller's analyses")
    @APIResponse(responseCode = "200", description = "the bytes as uploaded, with their video content type")
    @APIResponse(responseCode = "404", description = "no such task, or not the caller's",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response video(@PathParam("task_id") String taskId) {
        Caller caller = callers.require();
        TaskStore.Task task = ledger.find(taskId).orElseThrow(() -> ApiException.notFound("no task " + taskId));
        if (!task.userId().equals(caller.userId()) && !caller.isAdmin()) {
            throw ApiException.notFound("no task " + taskId);  // not "forbidden": don't confirm it exists
        }
        Path file;
        try {
            file = storage.open(task.storageKey());
        } catch (IOException e) {
            throw ApiException.notFound("the video of task " + taskId + " is no longer stored");
        }
        return Response.ok(file.toFile(), mediaType(task.contentType()))
                // served from our origin: never let a browser sniff it into HTML
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "inline; filename=\"" + task.filename().replaceAll("[^A-Za-z0-9._-]", "_")
                        + "\"")
                .build();
    }

    /** The uploader's declared type when it is a video type; anything else is served as opaque bytes. */
    static MediaType mediaType(String declared) {
        try {
            MediaType type = MediaType.valueOf(declared);
            return "video".equalsIgnoreCase(type.getType()) ? new MediaType(type.getType(), type.getSubtype())
                    : MediaType.APPLICATION_OCTET_STREAM_TYPE;
        } catch (IllegalArgumentException | NullPointerException e) {
            return MediaType.APPLICATION_OCTET_STREAM_TYPE;
        }
    }
}
