package dev.lintel.jdbc.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import dev.lintel.testing.JdbcServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
    config.setMinimumIdle(Math.min(2, size));
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

  /** The shards s0..s(n-1) on connections db0..db(n-1), routed by jump hash. */
  static Topology jump(long version, int shards) {
    List<Shard> list = new ArrayList<>();
    String[] buckets = new String[shards];
    for (int i = 0; i < shards; i++) {
      list.add(Shard.of("s" + i, "db" + i));
      buckets[i] = "s" + i;
    }
    return Topology.of(version, list, ShardStrategy.jump(buckets));
  }

  /** Reads a single number. */
  static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Where a proof gets its shard databases. */
  interface Source {
    /** Creates the database of shard {@code index}, fresh. */
    JdbcServer create(int index) throws SQLException;

    /** Drops what {@link #create} created. */
    void dropAll() throws SQLException;
  }

  /** Fresh in-memory H2 databases, gone with their last connection. */
  static Source h2Databases() {
    return new Source() {
      @Override
      public JdbcServer create(int index) {
        return h2();
      }

      @Override
      public void dropAll() {}
    };
  }

  /** Databases created on a server under fresh names, dropped together. */
  static final class Fresh implements Source {
    private final JdbcServer server;
    private final String base;
    private int created;

    Fresh(JdbcServer server, String prefix) {
      this.server = server;
      this.base = fresh(prefix);
    }

    @Override
    public JdbcServer create(int index) throws SQLException {
      created = Math.max(created, index + 1);
      return createDatabase(server, base + "_" + index);
    }

    @Override
    public void dropAll() throws SQLException {
      for (int i = 0; i < created; i++) {
        dropDatabase(server, base + "_" + i);
      }
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
