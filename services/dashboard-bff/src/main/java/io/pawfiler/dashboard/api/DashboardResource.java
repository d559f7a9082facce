package io.pawfiler.dashboard.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.dashboard.service.ActivityFeed;
import io.pawfiler.dashboard.service.Dashboards;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.rest.Problem;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;

/**
 * The dashboard over REST: the same messages as gRPC {@code dashboard.DashboardService}, printed with protobuf's JSON
 * mapping and the proto field names (snake_case), as the gateway's transcoder prints them. A token is required
 * ({@code @LoginConfig} on the application); {@code user_id} counts only for admins.
 */
@Path("/dashboard")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@Tag(name = "dashboard")
public class DashboardResource {

    @Inject
    Dashboards dashboards;

    @Inject
    ActivityFeed feed;

    @Inject
    CallerContext callers;

    @GET
    @Operation(summary = "The caller's dashboard (dashboard.Dashboard as JSON)",
            description = "Profile card, game progress, quiz, analyses, community (unset and listed in "
                    + "unavailable_sections when community-service does not answer in time), subscription, daily quests.")
    @APIResponse(responseCode = "200", description = "the dashboard", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "400", description = "recent_analyses_limit out of 0-20",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public String dashboard(@Parameter(description = "admins only: whose dashboard") @QueryParam("user_id") String userId,
                            @Parameter(description = "0-20, default 5") @QueryParam("recent_analyses_limit")
                            @DefaultValue("0") String recentAnalysesLimit) {
        Caller caller = callers.require();
        return DashboardMapping.json(DashboardMapping.dashboard(dashboards.load(caller.subjectOrAdminChoice(userId),
                integer("recent_analyses_limit", recentAnalysesLimit), callers.bearerToken().orElse(""))));
    }

    @GET
    @Path("/activities")
    @Operation(summary = "The caller's activity feed, newest first (dashboard.ActivityFeed as JSON)")
    @APIResponse(responseCode = "200", description = "a page", content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "400", description = "page_size out of 0-100, or a page_token not from this feed",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public String activities(@Parameter(description = "admins only: whose feed") @QueryParam("user_id") String userId,
                             @Parameter(description = "1-100, default 20") @QueryParam("page_size")
                             @DefaultValue("0") String pageSize,
                             @Parameter(description = "next_page_token of the previous page") @QueryParam("page_token")
                             String pageToken) {
        Caller caller = callers.require();
        return DashboardMapping.json(DashboardMapping.feed(feed.page(caller.subjectOrAdminChoice(userId),
                integer("page_size", pageSize), pageToken)));
    }

    /** A query parameter as a number, or a problem naming it (JAX-RS would answer a bare 404 for an int parameter). */
    private static int integer(String field, String value) {
        try {
            return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidArgument(field, "must be a whole number");
        }
    }
}
