package io.pawfiler.systemtests;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.pawfiler.testing.postgres.TestPostgres;

/**
 * The whole state of every service schema as one value: per table its row count and a hash of all its rows (so an
 * UPDATE shows as well as an INSERT or DELETE), outbox and inbox tables included. Two equal fingerprints around a
 * batch of calls mean none of them changed anything.
 */
final class DatabaseFingerprint implements AutoCloseable {

    private final Connection connection;
    private final String query;

    DatabaseFingerprint(TestPostgres.Database database, Set<String> schemas) throws SQLException {
        this.connection = database.connect();
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select table_schema, table_name from information_schema.tables "
                     + "where table_type = 'BASE TABLE' order by 1, 2")) {
            while (rs.next()) {
                if (schemas.contains(rs.getString(1)) && !rs.getString(2).startsWith("databasechangelog")) {
                    tables.add('"' + rs.getString(1) + "\".\"" + rs.getString(2) + '"');
                }
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException("no tables in " + schemas);
        }
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            if (!sql.isEmpty()) {
                sql.append(" union all ");
            }
            sql.append("select '").append(table.replace("\"", "")).append("', count(*), md5(coalesce(string_agg(md5(t::text), ',' "
                    + "order by md5(t::text)), '')) from ").append(table).append(" t");
        }
        this.query = sql.toString();
    }

    int tables() {
        return query.split(" union all ").length;
    }

    Snapshot take() {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            Map<String, String> rows = new LinkedHashMap<>();
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2) + ":" + rs.getString(3));
            }
            return new Snapshot(rows);
        } catch (SQLException e) {
            throw new IllegalStateException("fingerprint query failed", e);
        }
    }

    /** Waits until two snapshots {@code settle} ms apart are equal (asynchronous effects of an accepted call). */
    Snapshot quiet(long settleMillis, long maxMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxMillis;
        Snapshot last = take();
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(settleMillis);
            Snapshot now = take();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    record Snapshot(Map<String, String> tables) {

        /** The tables whose content differs from {@code other}'s. */
        Set<String> changedSince(Snapshot other) {
            Set<String> changed = new TreeSet<>();
            for (String table : tables.keySet()) {
                if (!Objects.equals(tables.get(table), other.tables.get(table))) {
                    changed.add(table);
                }
            }
            return changed;
        }
    }
}
