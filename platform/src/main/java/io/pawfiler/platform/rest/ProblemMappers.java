package io.pawfiler.platform.rest;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.pawfiler.platform.db.DatabaseAvailability;
import io.pawfiler.platform.db.DatabaseFailures;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

/** Every exception a JAX-RS resource can let out becomes problem+json; none leaks a stack trace. */
public final class ProblemMappers {

    private static final System.Logger LOGGER = System.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    @Provider
    @ApplicationScoped
    public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException exception) {
            return Problem.of(exception);
        }
    }

    /** Framework errors (404 route, 405, 415, 401 …) keep their status but get a problem body. */
    @Provider
    @ApplicationScoped
    public static class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException exception) {
            var cutOff = RequestBodyLimit.cutOff(exception);
            if (cutOff.isPresent()) {
                return cutOff.get();
            }
            if (exception instanceof NotFoundException) {
                // No resource matched: an entity-less 404 lets Helidon try its other routes (/health, /metrics, /openapi).
                return exception.getResponse();
            }
            int status = exception.getResponse().getStatus();
            if (status >= 500) {
                return internal(exception);
            }
            if (Response.Status.Family.familyOf(status) != Response.Status.Family.CLIENT_ERROR) {
                return exception.getResponse();
            }
            ErrorKind kind = switch (status) {
                case 401 -> ErrorKind.UNAUTHENTICATED;
                case 403 -> ErrorKind.PERMISSION_DENIED;
                case 404 -> ErrorKind.NOT_FOUND;
                case 409 -> ErrorKind.ALREADY_EXISTS;
                case 429 -> ErrorKind.RESOURCE_EXHAUSTED;
                default -> ErrorKind.INVALID_ARGUMENT;
            };
            if (status == 400) {
                // Jersey's own 400 (a multipart body without its boundary, an unreadable entity): the body is at fault
                return Problem.of(io.pawfiler.platform.errors.ApiException.invalidArgument("body",
                        "could not be read for this operation"));
            }
            String reason = exception.getResponse().getStatusInfo().getReasonPhrase();
            return Problem.of(kind, status, reason);
        }
    }

    /** A body that is not valid JSON, or not of the expected shape, is the client's error. */
    @Provider
    @ApplicationScoped
    public static class JsonbExceptionMapper implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException exception) {
            return RequestBodyLimit.cutOff(exception).orElseGet(() -> Problem.of(BodyProblems.of(exception)));
        }
    }

    @Provider
    @ApplicationScoped
    public static class JsonExceptionMapper implements ExceptionMapper<JsonException> {
        @Override
        public Response toResponse(JsonException exception) {
            return RequestBodyLimit.cutOff(exception).orElseGet(() -> Problem.of(BodyProblems.of(exception)));
        }
    }

    @Provider
    @ApplicationScoped
    public static class ProcessingExceptionMapper implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException exception) {
            var cutOff = RequestBodyLimit.cutOff(exception);
            if (cutOff.isPresent()) {
                return cutOff.get();
            }
            if (BodyProblems.isBodyProblem(exception)) {
                return Problem.of(BodyProblems.of(exception));
            }
            return internal(exception);
        }
    }

    @Provider
    @ApplicationScoped
    public static class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
        @Inject
        DatabaseAvailability database;

        @Override
        public Response toResponse(Throwable exception) {
            var cutOff = RequestBodyLimit.cutOff(exception);
            if (cutOff.isPresent()) {
                return cutOff.get();
            }
            if (database != null && database.isDown()) {
                // failed while the monitor sees the database gone (a pool timeout, a commit on a dead connection,
                // whatever wrapping the driver's error got): the outage, answered 503 with Retry-After, never 500
                LOGGER.log(System.Logger.Level.WARNING, "request failed during a database outage; answered 503",
                        exception);
                return Problem.of(DatabaseFailures.unreachable(database.retryAfter()));
            }
            if (DatabaseFailures.isTransient(exception) && !DatabaseFailures.isConnectionLoss(exception)) {
                // no pool connection in time, a statement timeout, a deadlock: overload, safe to retry (gRPC: BUSY)
                return Problem.of(ApiException.unavailable("the service is busy, retry later", Duration.ofSeconds(1)));
            }
            return internal(exception);
        }
    }

    private static Response internal(Throwable exception) {
        if (DatabaseFailures.isConnectionLoss(exception)) {
            // the database went away under this request: 503 with Retry-After, not an incident
            return Problem.of(DatabaseFailures.unreachable(DatabaseFailures.DEFAULT_RETRY_AFTER));
        }
        String incident = Problem.newIncidentId();
        LOGGER.log(System.Logger.Level.ERROR, "Unexpected failure (incident " + incident + ")", exception);
        return Problem.internal(incident);
    }
}
