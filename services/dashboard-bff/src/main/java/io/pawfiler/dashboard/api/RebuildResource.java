package io.pawfiler.dashboard.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.dashboard.service.ReadModelRebuild;
import io.pawfiler.platform.rest.Problem;

/** Admins rebuild the read models from the topics (in the background; the service keeps answering meanwhile). */
@Path("/dashboard/admin/rebuild")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "bearer")
@Tag(name = "admin")
public class RebuildResource {

    @Schema(name = "RebuildStatus")
    @JsonbNillable
    public record StatusView(@Schema(description = "IDLE, RUNNING, SUCCEEDED or FAILED") String state,
                             Instant startedAt, Instant finishedAt,
                             @Schema(description = "events applied to the new tables") long eventsApplied,
                             String error) {
        static StatusView of(ReadModelRebuild.Status status) {
            return new StatusView(status.state().name(), status.startedAt(), status.finishedAt(), status.eventsApplied(),
                    status.error());
        }
    }

    @Inject
    ReadModelRebuild rebuild;

    @POST
    @Operation(summary = "Rebuild the read models from every topic's earliest offset",
            description = "Replays into fresh tables and swaps them in atomically; poll GET for the outcome.")
    @APIResponse(responseCode = "202", description = "started",
            content = @Content(schema = @Schema(implementation = StatusView.class)))
    @APIResponse(responseCode = "409", description = "a rebuild is running", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response start() {
        return Response.accepted(StatusView.of(rebuild.start())).build();
    }

    @GET
    @Operation(summary = "The last rebuild's state")
    @APIResponse(responseCode = "200", description = "the state",
            content = @Content(schema = @Schema(implementation = StatusView.class)))
    public StatusView status() {
        return StatusView.of(rebuild.status());
    }
}
