package dev.lintel.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.eventsourcing.TableNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL database benchmarks run against: {@code LINTEL_TEST_POSTGRES_URL} (as exported by
 * {@code scripts/with-services.sh}) or {@code jdbc:postgresql://127.0.0.1:5432/lintel_test},
 * through one HikariCP pool that every variant of a benchmark shares.
 */
final class BenchmarkDatabase {
  private BenchmarkDatabase() {}

  static HikariDataSource pool() {
    return pool(4);
  }

  /** A pool of the given size, for benchmarks whose threads each need a connection. */
  static HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        env("LINTEL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/lintel_test"));
    config.setUsername(env("LINTEL_TEST_POSTGRES_USER", "postgres"));
    config.setPassword(env("LINTEL_TEST_POSTGRES_PASSWORD", ""));
    config.setMaximumPoolSize(size);
    config.setPoolName("lintel-benchmarks-" + size);
    return new HikariDataSource(config);
  }

  static void dropLintelTables(HikariDataSource pool, String prefix) throws SQLException {
    TableNames tables = new TableNames(prefix);
    execute(
        pool,
        "DROP TABLE IF EXISTS "
            + String.join(
                ", ",
                tables.events(),
                tables.streams(),
                tables.positions(),
                tables.snapshots(),
                tables.checkpoints(),
                tables.schemaVersion()));
  }

  static void execute(HikariDataSource pool, String... statements) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  static JdbcEventStore.Builder store(HikariDataSource pool) {
    return JdbcEventStore.postgres(pool);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
