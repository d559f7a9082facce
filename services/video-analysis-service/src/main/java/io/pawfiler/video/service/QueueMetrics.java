package io.pawfiler.video.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.annotation.Gauge;

import io.pawfiler.platform.db.DatabaseMigration;

/** {@code video_analysis_queue_depth}: tasks waiting for or in analysis, across all instances. */
@ApplicationScoped
public class QueueMetrics {

    @Inject
    TaskLedger ledger;

    @Inject
    DatabaseMigration migration;

    @Gauge(name = "video_analysis_queue_depth", unit = "tasks", absolute = true,
            description = "tasks uploaded or being analysed")
    public long queueDepth() {
        return migration.migrated() ? ledger.pending() : 0;
    }
}
