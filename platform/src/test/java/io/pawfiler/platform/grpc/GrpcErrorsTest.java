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
    void aStatementCancelledByTheStatementTimeoutIsUnavailableNotInternal() {
        var failure = new PersistenceException("EclipseLink-4002", new java.sql.SQLException(
                "ERROR: canceling statement due to statement timeout", "57014"));
        assertEquals(Status.Code.UNAVAILABLE, GrpcErrors.toStatus(failure, "Community/GetFeed").getStatus().getCode());
        var otherSqlError = new PersistenceException("EclipseLink-4002", new java.sql.SQLException("syntax", "42601"));
        assertEquals(Status.Code.INTERNAL, GrpcErrors.toStatus(otherSqlError, "Community/GetFeed").getStatus().getCode());
    }

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
