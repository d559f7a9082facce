package io.pawfiler.quiz.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.rest.Problem;
import io.pawfiler.quiz.domain.Difficulty;
import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.domain.QuestionType;
import io.pawfiler.quiz.domain.Region;
import io.pawfiler.quiz.service.QuestionCatalog;

/** Admin catalogue of questions, answers included. */
@Path("/admin/questions")
@RequestScoped
@RolesAllowed("admin")
@SecurityRequirement(name = "bearer")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class QuestionAdminResource {

    /** A question as admins write and read it (snake_case on the wire). */
    @Schema(name = "Question")
    public record QuestionJson(@Schema(readOnly = true) String id,
                               @Schema(required = true, enumeration = {"MULTIPLE_CHOICE", "TRUE_FALSE", "REGION_SELECT", "COMPARISON"}) String type,
                               @Schema(required = true, enumeration = {"VIDEO", "IMAGE"}) String mediaType,
                               @Schema(required = true) String mediaUrl,
                               String thumbnailEmoji,
                               @Schema(required = true, enumeration = {"easy", "medium", "hard"}) String difficulty,
                               @Schema(required = true) String category,
                               @Schema(required = true) String explanation,
                               @Schema(description = "MULTIPLE_CHOICE") List<String> options,
                               @Schema(description = "MULTIPLE_CHOICE") Integer correctIndex,
                               @Schema(description = "TRUE_FALSE") Boolean correctAnswer,
                               @Schema(description = "REGION_SELECT") List<RegionJson> correctRegions,
                               @Schema(description = "REGION_SELECT, extra radius in pixels") Integer tolerance,
                               @Schema(description = "COMPARISON") String comparisonMediaUrl,
                               @Schema(description = "COMPARISON", enumeration = {"left", "right"}) String correctSide) {

        Question toDomain() {
            QuestionType questionType = enumValue(QuestionType.class, type, "type");
            enumValue(io.pawfiler.api.quiz.MediaType.class, mediaType, "media_type");
            Difficulty level = Difficulty.parse(difficulty)
                    .orElseThrow(() -> ApiException.invalidArgument("difficulty", "must be easy, medium or hard"));
            require(category, "category");
            require(explanation, "explanation");
            return new Question(null, questionType, mediaType, mediaUrl, thumbnailEmoji, level, category, explanation,
                    options == null ? List.of() : options, correctIndex, correctAnswer,
                    correctRegions == null ? List.of()
                            : correctRegions.stream().map(r -> new Region(r.x(), r.y(), r.radius())).toList(),
                    tolerance, comparisonMediaUrl, correctSide);
        }

        static QuestionJson of(Question q) {
            return new QuestionJson(q.id(), q.type().name(), q.mediaType(), q.mediaUrl(), q.thumbnailEmoji(),
                    q.difficulty().wireName(), q.category(), q.explanation(), q.options(), q.correctIndex(),
                    q.correctAnswer(), q.correctRegions().stream().map(r -> new RegionJson(r.x(), r.y(), r.radius())).toList(),
                    q.tolerance(), q.comparisonMediaUrl(), q.correctSide());
        }
    }

    @Schema(name = "Region")
    public record RegionJson(double x, double y, double radius) {
    }

    @Inject
    QuestionCatalog catalog;

    @POST
    @Operation(summary = "Add a question")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = QuestionJson.class)))
    @APIResponse(responseCode = "400", description = "a field is invalid (named in `field`)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response create(QuestionJson body) {
        Question created = catalog.create(required(body).toDomain());
        return Response.status(Response.Status.CREATED).entity(QuestionJson.of(created)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A question with its answer")
    public QuestionJson get(@PathParam("id") String id) {
        return QuestionJson.of(catalog.get(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a question's content")
    public QuestionJson update(@PathParam("id") String id, QuestionJson body) {
        return QuestionJson.of(catalog.update(id, required(body).toDomain()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Retire a question", description = "It is never drawn again; answers and statistics stay.")
    @APIResponse(responseCode = "204", description = "retired")
    public Response retire(@PathParam("id") String id) {
        catalog.retire(id);
        return Response.noContent().build();
    }

    private static QuestionJson required(QuestionJson body) {
        if (body == null) {
            throw ApiException.invalidArgument("body", "a JSON body is required");
        }
        return body;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalidArgument(field, "is required");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value == null ? "" : value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidArgument(field, "is not one of the allowed values");
        }
    }
}
