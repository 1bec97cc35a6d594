package dev.lintel.jdbc.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.testing.JdbcServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Fresh databases and table names for the shard tests, so that concurrent runs never share rows.
 */
final class ShardDatabases {
  private ShardDatabases() {}

  /** A fresh lower-case name with the prefix, unique per call. */
  static String fresh(String prefix) {
    return prefix
        + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
  }

  /** A fresh in-memory H2 database. */
  static JdbcServer h2() {
    return new JdbcServer(
        "H2", "jdbc:h2:mem:" + fresh("shard") + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "");
  }

  /** A small pool over a server. Close it when done. */
  static HikariDataSource pooled(JdbcServer server, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.url());
    config.setUsername(server.user());
    config.setPassword(server.password());
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  /** Creates a database on a PostgreSQL or MariaDB server and returns the server's view of it. */
  static JdbcServer createDatabase(JdbcServer server, String name) throws SQLException {
    execute(server.dataSource(), "CREATE DATABASE " + name);
    return new JdbcServer(
        server.product(),
        server.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"),
        server.user(),
        server.password());
  }

  /** Drops a database that {@link #createDatabase} created, ending its sessions on PostgreSQL. */
  static void dropDatabase(JdbcServer server, String name) throws SQLException {
    if (server.product().equals("PostgreSQL")) {
      execute(server.dataSource(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } else {
      execute(server.dataSource(), "DROP DATABASE IF EXISTS " + name);
    }
  }

  static void execute(DataSource dataSource, String... statements) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
