package io.pawfiler.video.api;

import java.io.InputStream;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.rest.Problem;
import io.pawfiler.video.service.UploadUrls;
import io.pawfiler.video.store.TaskStore;

/**
 * The upload URLs {@code GetUploadUrl} hands out: the raw video bytes as the body, no token (the URL's signature
 * is the authorisation), so any HTTP client can send them.
 */
@Path("/uploads/{task_id}")
@RequestScoped
@Tag(name = "upload")
public class SignedUploadResource {

    @Inject
    UploadUrls urls;

    @PUT
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a video through a signed upload URL (from gRPC GetUploadUrl)",
            description = "The body is the video itself; Content-Type is stored with it. The task gets the id in the URL.")
    @APIResponse(responseCode = "202", description = "stored; analysis queued",
            content = @Content(schema = @Schema(implementation = UploadResource.Uploaded.class)))
    @APIResponse(responseCode = "400", description = "not a decodable video, empty, too long or too large",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "the signature does not match the URL",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "a video was uploaded through this URL already",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "410", description = "the URL has expired; ask for a new one",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "the owner's monthly analyses are used up",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response put(@PathParam("task_id") String taskId, @QueryParam("user_id") String userId,
                        @QueryParam("filename") String filename, @QueryParam("unlimited") String unlimited,
                        @QueryParam("expires") String expires, @QueryParam("signature") String signature,
                        @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        UploadUrls.Verified verified = urls.verify(taskId, userId, filename, unlimited, expires, signature);
        if (verified.refusal() == UploadUrls.Refusal.BAD_SIGNATURE) {
            return Problem.of(ErrorKind.PERMISSION_DENIED, 403, "this upload URL is not valid (bad signature)");
        }
        if (verified.refusal() == UploadUrls.Refusal.EXPIRED) {
            return Problem.of(ErrorKind.PERMISSION_DENIED, 410, "this upload URL expired at "
                    + verified.grant().expiresAt() + "; ask GetUploadUrl for a new one");
        }
        String type = contentType == null || contentType.isBlank() || contentType.length() > 100
                ? "application/octet-stream" : contentType;
        TaskStore.Task task = urls.accept(verified.grant(), body, type);
        return Response.accepted(new UploadResource.Uploaded(task.id(), "uploaded; analysis queued", task.sha256(),
                task.sizeBytes())).build();
    }

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The same as PUT, for clients that can only POST")
    public Response post(@PathParam("task_id") String taskId, @QueryParam("user_id") String userId,
                         @QueryParam("filename") String filename, @QueryParam("unlimited") String unlimited,
                         @QueryParam("expires") String expires, @QueryParam("signature") String signature,
                         @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        return put(taskId, userId, filename, unlimited, expires, signature, contentType, body);
    }
}
