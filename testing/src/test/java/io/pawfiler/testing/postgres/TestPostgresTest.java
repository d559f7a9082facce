package io.pawfiler.testing.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestPostgresTest {

    @Test
    void aFreshDatabaseRunsSqlOnPostgres17() throws SQLException {
        TestPostgres.Database db = TestPostgres.createDatabase("TestPostgresTest");

        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE note (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL)");
            statement.execute("INSERT INTO note (text) VALUES ('hello'), ('world')");
            try (ResultSet rows = statement.executeQuery("SELECT string_agg(text, ' ' ORDER BY id) FROM note")) {
                assertTrue(rows.next());
                assertEquals("hello world", rows.getString(1));
            }
            if (TestPostgres.isEmbedded()) {
                try (ResultSet version = statement.executeQuery("SHOW server_version_num")) {
                    assertTrue(version.next());
                    assertEquals(17, Integer.parseInt(version.getString(1)) / 10_000);
                }
            }
        }
        assertEquals(TestPostgres.jdbcUrl(db.name()), db.jdbcUrl());
    }

    @Test
    void eachDatabaseIsIsolatedAndReachableThroughItsDataSource() throws SQLException {
        TestPostgres.Database first = TestPostgres.createDatabase("isolation");
        TestPostgres.Database second = TestPostgres.createDatabase("isolation");
        assertFalse(first.name().equals(second.name()));

        try (Connection connection = first.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_first (id INT)");
        }
        try (Connection connection = second.dataSource().getConnection();
             ResultSet tables = connection.getMetaData().getTables(null, null, "only_in_first", null)) {
            assertFalse(tables.next(), "the second database does not see the first one's table");
        }
    }

    @Test
    void anyPrefixGivesAValidDatabaseName() throws SQLException {
        String longPrefix = "9 Very-Long.Test$Class" + "X".repeat(80);

        TestPostgres.Database db = TestPostgres.createDatabase(longPrefix);

        assertTrue(db.name().length() <= 63, db.name());
        assertTrue(db.name().matches("[a-z][a-z0-9_]*"), db.name());
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet current = statement.executeQuery("SELECT current_database()")) {
            assertTrue(current.next());
            assertEquals(db.name(), current.getString(1), "the URL handed out names the database really created");
        }
    }
}
