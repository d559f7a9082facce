package io.pawfiler.testing.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.pawfiler.testing.RealInfrastructure;

/**
 * One statement straight on the current test class's database ({@link RealInfrastructure#currentDatabase()}), for
 * asserting on tables or setting up a state no API reaches (e.g. a subscription whose period ended).
 */
public final class Sql {

    private Sql() {
    }

    /** The first column of the first row as a number (e.g. a {@code count(*)}). */
    public static long number(String sql) {
        return query(sql, rows -> rows.getLong(1));
    }

    /** The first column of the first row as text. */
    public static String text(String sql) {
        return query(sql, rows -> rows.getString(1));
    }

    /** @return the rows changed */
    public static int update(String sql) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    private interface Column<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> T query(String sql, Column<T> column) {
        try (Connection connection = RealInfrastructure.currentDatabase().connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return column.read(rows);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }
}
