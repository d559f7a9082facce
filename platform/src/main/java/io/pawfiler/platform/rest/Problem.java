package io.pawfiler.platform.rest;

import java.util.UUID;

import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.platform.json.Jsons;

/** RFC 9457 problem details, the one error body of every REST endpoint. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    public static Response of(ApiException failure) {
        JsonObjectBuilder body = base(failure.kind(), failure.getMessage(), failure.kind().httpStatus());
        failure.field().ifPresent(field -> body
                .add("field", field)
                .add("errors", Jsons.array().add(Jsons.object()
                        .add("field", field).add("message", failure.getMessage()))));
        Response.ResponseBuilder response = Response.status(failure.kind().httpStatus())
                .type(MEDIA_TYPE)
                .entity(body.build().toString());
        failure.retryAfter().ifPresent(retry -> response.header("Retry-After", Math.max(1, retry.toSeconds())));
        return response.build();
    }

    public static Response of(ErrorKind kind, int httpStatus, String detail) {
        return Response.status(httpStatus)
                .type(MEDIA_TYPE)
                .entity(body(kind, httpStatus, detail))
                .build();
    }

    /** The problem document alone, for responses built elsewhere (see {@link SecurityProblems}). */
    public static String body(ErrorKind kind, int httpStatus, String detail) {
        return base(kind, detail, httpStatus).build().toString();
    }

    /** A 500 that tells the client an incident id to quote, and nothing about the server's internals. */
    public static Response internal(String incidentId) {
        JsonObjectBuilder body = base(ErrorKind.INTERNAL, "internal error, incident " + incidentId, 500)
                .add("incident", incidentId);
        return Response.serverError().type(MEDIA_TYPE).entity(body.build().toString()).build();
    }

    public static String newIncidentId() {
        return UUID.randomUUID().toString();
    }

    private static JsonObjectBuilder base(ErrorKind kind, String detail, int httpStatus) {
        return Jsons.object()
                .add("type", kind.problemType())
                .add("title", kind.title())
                .add("status", httpStatus)
                .add("detail", detail == null ? kind.title() : detail);
    }
}
