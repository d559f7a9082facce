package io.pawfiler.video.api;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.platform.rest.Problem;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.platform.security.CallerContext;
import io.pawfiler.video.domain.MonthlyQuota;
import io.pawfiler.video.service.AnalysisHistory;
import io.pawfiler.video.service.AnalysisQuota;

/**
 * The caller's analysis quota and history, as the original frontend reads them ({@code POST /analysis/quota} and
 * {@code /analysis/history} with a JSON {@code {user_id}}; GET with query parameters works too). The user is the
 * token's subject; a {@code user_id} counts only when an admin sends it.
 */
@Path("/analysis")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("user")
@SecurityRequirement(name = "bearer")
@Tag(name = "analysis")
public class AnalysisResource {

    @Schema(name = "QuotaRequest")
    public record QuotaRequest(@Schema(description = "admins only: whose quota; ignored for anyone else") String userId) {
    }

    @Schema(name = "Quota", description = "limit and remaining are -1 when unlimited (premium, admin)")
    public record QuotaView(int used, int limit, int remaining, boolean premium,
                            @Schema(description = "when the month's count starts again at 0") Instant resetsAt) {
    }

    @Schema(name = "HistoryRequest")
    public record HistoryRequest(@Schema(description = "admins only: whose history") String userId,
                                 @Schema(description = "1-100, default 20") Integer pageSize,
                                 @Schema(description = "next_page_token of the previous page") String pageToken) {
    }

    @Schema(name = "HistoryItem")
    @JsonbNillable
    public record HistoryItem(String taskId,
                              @Schema(description = "REAL, FAKE, INCONCLUSIVE; PROCESSING while running; FAILED")
                              String finalVerdict,
                              @Schema(description = "0..1, the probability of manipulation; null until completed")
                              Double confidence,
                              @Schema(description = "the generator that likely made the video; this backend does not "
                                      + "predict one, so null") String aiModel,
                              @Schema(description = "the model that judged the video") String modelVersion,
                              Instant createdAt,
                              @Schema(description = "GET it with the owner's token") String videoUrl,
                              String stage, String filename) {
    }

    @Schema(name = "History")
    @JsonbNillable
    public record HistoryView(@Schema(description = "newest first") List<HistoryItem> history,
                              @Schema(description = "null on the last page") String nextPageToken) {
    }

    @Inject
    AnalysisQuota quota;

    @Inject
    AnalysisHistory history;

    @Inject
    CallerContext callers;

    @GET
    @Path("/quota")
    @Operation(summary = "Analyses used this month and left",
            description = "Free users get pawfiler.video.quota.monthly-limit analyses per calendar month "
                    + "(in pawfiler.video.quota.zone); premium and admins are unlimited. A FAILED analysis does not count.")
    @APIResponse(responseCode = "200", description = "the quota",
            content = @Content(schema = @Schema(implementation = QuotaView.class)))
    public QuotaView quota(@Parameter(description = "admins only") @QueryParam("user_id") String userId) {
        Caller caller = callers.require();
        String subject = caller.subjectOrAdminChoice(userId);
        // the premium flag comes from a token: for another user (admin view) only the counter is known
        boolean unlimited = subject.equals(caller.userId()) && MonthlyQuota.unlimited(caller.roles());
        MonthlyQuota.Status status = quota.status(new AnalysisQuota.Owner(subject, unlimited));
        return new QuotaView(status.used(), status.limit(), status.remaining(), status.unlimited(), status.resetsAt());
    }

    @POST
    @Path("/quota")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Analyses used this month and left (the original frontend's POST form)")
    @APIResponse(responseCode = "200", description = "the quota",
            content = @Content(schema = @Schema(implementation = QuotaView.class)))
    public QuotaView quotaPost(QuotaRequest request) {
        return quota(request == null ? null : request.userId());
    }

    @GET
    @Path("/history")
    @Operation(summary = "The caller's analyses, newest first, in pages")
    @APIResponse(responseCode = "200", description = "a page",
            content = @Content(schema = @Schema(implementation = HistoryView.class)))
    @APIResponse(responseCode = "400", description = "page_size out of 1-100, or a page_token not from this service",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public HistoryView history(@Parameter(description = "admins only") @QueryParam("user_id") String userId,
                               @Parameter(description = "1-100, default 20") @QueryParam("page_size") Integer pageSize,
                               @Parameter(description = "next_page_token of the previous page")
                               @QueryParam("page_token") String pageToken) {
        String subject = callers.require().subjectOrAdminChoice(userId);
        AnalysisHistory.Page page = history.page(subject, pageSize, pageToken);
        return new HistoryView(page.items().stream().map(item -> new HistoryItem(item.taskId(), item.finalVerdict(),
                item.confidence(), null, item.modelVersion(), item.createdAt(), item.videoUrl(), item.stage(),
                item.filename())).toList(), page.nextPageToken());
    }

    @POST
    @Path("/history")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's analyses (the original frontend's POST form)")
    @APIResponse(responseCode = "200", description = "a page",
            content = @Content(schema = @Schema(implementation = HistoryView.class)))
    @APIResponse(responseCode = "400", description = "page_size out of 1-100, or a page_token not from this service",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public HistoryView historyPost(HistoryRequest request) {
        return request == null ? history(null, null, null)
                : history(request.userId(), request.pageSize(), request.pageToken());
    }
}
