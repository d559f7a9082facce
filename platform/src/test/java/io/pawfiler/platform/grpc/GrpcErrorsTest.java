package io.pawfiler.platform.grpc;

import java.sql.SQLTransientConnectionException;

import io.grpc.Status;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpcErrorsTest {

    @Test
    void aRequestThatFoundNoFreeDatabaseConnectionIsUnavailableNotInternal() {
        var failure = new PersistenceException("EclipseLink-4002",
                new RuntimeException(new SQLTransientConnectionException("pawfiler - Connection is not available")));

        Status status = GrpcErrors.toStatus(failure, "Quiz/SubmitAnswer").getStatus();

        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertFalse(status.getDescription().contains("pawfiler"), "no internals on the wire");
    }

    @Test
    void anythingElseUnexpectedIsInternalWithAnIncidentId() {
        Status status = GrpcErrors.toStatus(new IllegalStateException("bug"), "Quiz/SubmitAnswer").getStatus();

        assertEquals(Status.Code.INTERNAL, status.getCode());
        assertTrue(status.getDescription().startsWith("internal error, incident "));
    }

    @Test
    void apiExceptionsKeepTheirCodeAndField() {
        Status status = GrpcErrors.toStatus(ApiException.invalidArgument("question_id", "is required"), "m")
                .getStatus();

        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("question_id: is required", status.getDescription());
    }
}
