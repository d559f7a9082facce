package io.pawfiler.video.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.rest.Problem;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.video.service.AnalysisQuota;
import io.pawfiler.video.service.Submissions;
import io.pawfiler.video.store.TaskStore;

/** {@code POST /upload-video} with a multipart field {@code video}, as the original frontend uploads. */
@Path("/upload-video")
@RequestScoped
@Tag(name = "upload")
public class UploadResource {

    /** What the upload answers (snake_case on the wire). */
    public record Uploaded(String taskId, String message, String videoSha256, long sizeBytes) {
    }

    /** The form as OpenAPI shows it (the resource reads the parts itself). */
    @Schema(name = "UploadForm", requiredProperties = "video")
    public record UploadForm(@Schema(type = SchemaType.STRING, format = "binary",
            description = "the video (mp4, mov, webm, avi, mkv; see pawfiler.video.max-upload-bytes)") String video) {
    }

    @Inject
    Submissions submissions;

    @Inject
    CallerContext callers;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("user")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Upload a video for deepfake analysis",
            description = "Streams the multipart field `video` to storage; the analysis runs asynchronously (watch it "
                    + "with gRPC WatchAnalysis or poll GetAnalysisStatus).")
    @APIResponse(responseCode = "202", description = "stored; analysis queued")
    @APIResponse(responseCode = "400", description = "not a decodable video, empty, too long or too large",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "the free plan's monthly analyses are used up; the detail says "
            + "when the quota resets, Retry-After in how many seconds", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response upload(@RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = UploadForm.class))) List<EntityPart> parts) {
        // the whole form, not @FormParam("video"): Jersey's lookup of a missing part throws a NullPointerException
        EntityPart video = parts == null ? null : parts.stream().filter(part -> "video".equals(part.getName()))
                .findFirst().orElse(null);
        if (video == null) {
            throw ApiException.invalidArgument("video", "a multipart field named video is required");
        }
        AnalysisQuota.Owner owner = AnalysisQuota.Owner.of(callers.require());
        String filename = video.getFileName().filter(name -> !name.isBlank()).orElse("upload");
        String contentType = video.getMediaType() == null ? "application/octet-stream" : video.getMediaType().toString();
        TaskStore.Task task;
        try (InputStream content = video.getContent()) {
            task = submissions.submit(owner, null, content, filename, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.accepted(new Uploaded(task.id(), "uploaded; analysis queued", task.sha256(),
                task.sizeBytes())).build();
    }
}
