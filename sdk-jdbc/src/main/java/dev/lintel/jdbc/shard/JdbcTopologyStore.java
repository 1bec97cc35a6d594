package dev.lintel.jdbc.shard;

import dev.lintel.Registration;
import dev.lintel.core.shard.TopologyJson;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.shard.TopologyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TopologyStore} in a database table shared by every node: one row per keyspace holding
 * the current version and the topology's JSON ({@link TopologyJson}).
 *
 * <pre>{@code
 * TopologyStore store = JdbcTopologyStore.builder(controlDataSource).keyspace("orders").build().createSchema();
 * store.publish(v2);   // refused unless v2 is above the current version
 * }</pre>
 *
 * <p>Publishing is a compare-and-set in one statement ({@code UPDATE ... WHERE version < new}), or
 * the first insert of the keyspace's row: of two nodes publishing at once exactly one succeeds, a
 * version is never overwritten by a lower one, and the loser gets a {@link ShardingException}
 * naming both versions. Reads see the last committed publication. Works on PostgreSQL, MariaDB and
 * H2; nodes follow the store with a {@link dev.lintel.core.shard.TopologyWatcher}. Thread-safe.
 */
public final class JdbcTopologyStore implements TopologyStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcTopologyStore.class);

  private final DataSource dataSource;
  private final String table;
  private final String keyspace;

  private JdbcTopologyStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.keyspace = builder.keyspace;
  }

  /**
   * Starts a store on a data source.
   *
   * @param dataSource the database every node reads the topology from
   * @return a builder: table {@code lintel_shard_topology}, keyspace {@code default}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Creates the table if it does not exist.
   *
   * @return this store
   * @throws ShardingException if the database refuses
   */
  public JdbcTopologyStore createSchema() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      ShardSql sql = ShardSql.of(connection);
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (keyspace VARCHAR(128) NOT NULL PRIMARY KEY, version BIGINT NOT NULL, topology "
              + sql.textType()
              + " NOT NULL)"
              + sql.tableOptions());
      return this;
    } catch (SQLException e) {
      throw new ShardingException("cannot create the topology table " + table, e);
    }
  }

  @Override
  public @Nullable Topology current() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT topology FROM " + table + " WHERE keyspace = ?")) {
      select.setString(1, keyspace);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? TopologyJson.read(row.getString(1)) : null;
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot read the topology of keyspace '" + keyspace + "' from " + table, e);
    }
  }

  /**
   * Reads the current version only, which is cheaper than {@link #current()}.
   *
   * @return the version, or 0 if nothing was published
   * @throws ShardingException if the table cannot be read
   */
  public long currentVersion() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT version FROM " + table + " WHERE keyspace = ?")) {
      select.setString(1, keyspace);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot read the topology version of keyspace '" + keyspace + "' from " + table, e);
    }
  }

  @Override
  public void publish(Topology topology) {
    Objects.requireNonNull(topology, "topology");
    String json = TopologyJson.write(topology);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE "
                  + table
                  + " SET version = ?, topology = ? WHERE keyspace = ? AND version < ?")) {
        update.setLong(1, topology.version());
        update.setString(2, json);
        update.setString(3, keyspace);
        update.setLong(4, topology.version());
        if (update.executeUpdate() == 1) {
          published(connection, topology);
          return;
        }
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO " + table + " (keyspace, version, topology) VALUES (?, ?, ?)")) {
        insert.setString(1, keyspace);
        insert.setLong(2, topology.version());
        insert.setString(3, json);
        insert.executeUpdate();
        published(connection, topology);
      } catch (SQLException e) {
        if (!ShardSql.isDuplicate(e)) {
          throw e;
        }
        throw new ShardingException(
            "cannot publish topology v"
                + topology.version()
                + " of keyspace '"
                + keyspace
                + "': v"
                + currentVersion()
                + " is current and versions only grow");
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot publish topology v" + topology.version() + " of keyspace '" + keyspace + "'", e);
    }
  }

  /** Logs a publication and, on PostgreSQL, announces it to {@link #onPublish} listeners. */
  private void published(Connection connection, Topology topology) throws SQLException {
    log.info("Published topology v{} of keyspace '{}'", topology.version(), keyspace);
    if (ShardSql.of(connection) == ShardSql.POSTGRES) {
      try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
        notify.setString(1, table);
        notify.setString(2, keyspace);
        notify.execute();
      }
    }
  }

  /**
   * Runs an action whenever a topology of this keyspace is published, typically {@code
   * watcher::refresh}, so that nodes switch at once rather than at their next poll. On PostgreSQL a
   * thread holding one connection listens for the {@code NOTIFY} each publication sends, and runs
   * the action once when it starts listening (and again after a lost connection is back); on
   * MariaDB and H2 there is nothing to listen to and the watcher's polling alone applies.
   *
   * @param action the action; it may block, it runs on the listening thread
   * @return stops listening
   * @throws ShardingException if the database cannot be reached to tell which it is
   */
  public Registration onPublish(Runnable action) {
    Objects.requireNonNull(action, "action");
    try (Connection connection = dataSource.getConnection()) {
      if (ShardSql.of(connection) != ShardSql.POSTGRES) {
        log.info(
            "No push for topology publications of '{}' on this database: watchers poll", keyspace);
        return () -> {};
      }
    } catch (SQLException e) {
      throw new ShardingException("cannot listen for topology publications of " + keyspace, e);
    }
    TopologyNotifications listening =
        TopologyNotifications.start(dataSource, table, keyspace, action);
    return listening::stop;
  }

  @Override
  public String toString() {
    return "JdbcTopologyStore[" + table + ", keyspace=" + keyspace + "]";
  }

  /** Settings of a {@link JdbcTopologyStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = "lintel_shard_topology";
    private String keyspace = "default";

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Names the table.
     *
     * @param table letters, digits and underscores, optionally after {@code schema.}
     * @return this builder
     * @throws IllegalArgumentException if the name is not a plain identifier
     */
    public Builder table(String table) {
      this.table = ShardSql.identifier(table, "topology table name");
      return this;
    }

    /**
     * Names the keyspace: one table can hold the topologies of several independent keyspaces.
     *
     * @param keyspace 1 to 128 letters, digits, {@code . _ : -}
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid
     */
    public Builder keyspace(String keyspace) {
      this.keyspace = ShardSql.name(keyspace, "keyspace");
      return this;
    }

    /**
     * Builds the store; {@link JdbcTopologyStore#createSchema()} creates its table.
     *
     * @return the store
     */
    public JdbcTopologyStore build() {
      return new JdbcTopologyStore(this);
    }
  }
}
