package io.pawfiler.platform.grpc;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.pawfiler.platform.db.DatabaseMigration;

/**
 * The standard {@code grpc.health.v1.Health} status of this process: NOT_SERVING until the schema is migrated,
 * SERVING after, NOT_SERVING again while shutting down (so load balancers drain it first).
 */
@ApplicationScoped
public class GrpcHealth {

    private final HealthStatusManager statusManager = new HealthStatusManager();

    public GrpcHealth() {
        statusManager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    }

    HealthStatusManager statusManager() {
        return statusManager;
    }

    void serving(@Observes DatabaseMigration.Completed migrated) {
        statusManager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    }

    @PreDestroy
    void draining() {
        statusManager.enterTerminalState();
    }
}
