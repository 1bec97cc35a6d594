package dev.lintel.jdbc.shard;

import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The two small tables each shard database holds for moves: the fence row of a keyspace and the
 * change table.
 *
 * <p>The fence row holds the lowest topology version a writer must route by to write on this shard
 * ({@code min_version}), and, while a move from this shard is under way, the version it moves to
 * ({@code capture_for}). Every fenced write reads the row under a shared lock in its own
 * transaction (see {@link ShardWriter}); the rebalancer changes the row with an update, which waits
 * for the writers that read it and makes later writers wait for it. So a write either commits
 * before a change of the fence commits, or sees the changed fence: there is no write in between.
 *
 * <p>While {@code capture_for} is set, each fenced write adds its shard key to the change table in
 * its own transaction: the catch-up copies those keys again and deletes the change rows it copied.
 */
final class ShardFence {
  private final String fenceTable;
  private final String changeTable;
  private final String keyspace;

  ShardFence(String tablePrefix, String keyspace) {
    this.fenceTable = ShardSql.identifier(tablePrefix + "shard_fence", "fence table name");
    this.changeTable = ShardSql.identifier(tablePrefix + "shard_changes", "change table name");
    this.keyspace = ShardSql.name(keyspace, "keyspace");
  }

  /** What a writer reads: the fence of one keyspace on one shard. */
  record State(long minVersion, boolean capturing) {}

  /** A key written on a shard while it was capturing. */
  record Change(long seq, String key) {}

  /** Creates the tables and the keyspace's fence row where missing. */
  void ensure(DataSource dataSource, String shardId) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      if (exists(statement)) {
        return; // H2 locks a table in use for CREATE TABLE IF NOT EXISTS
      }
      ShardSql sql = ShardSql.of(connection);
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + fenceTable
              + " (keyspace VARCHAR(128) NOT NULL PRIMARY KEY, min_version BIGINT NOT NULL,"
              + " capture_for BIGINT)"
              + sql.tableOptions());
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + changeTable
              + " (seq "
              + sql.identityKey()
              + ", keyspace VARCHAR(128) NOT NULL, shard_key VARCHAR(512) NOT NULL)"
              + sql.tableOptions());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO " + fenceTable + " (keyspace, min_version) VALUES (?, 0)")) {
        insert.setString(1, keyspace);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (!ShardSql.isDuplicate(e)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot create the fence tables " + fenceTable + " on shard '" + shardId + "'", e);
    }
  }

  /**
   * Reads the fence in the writer's transaction, under a lock the rebalancer's update waits for.
   */
  State lock(Connection connection, ShardSql sql, String shardId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT min_version, capture_for FROM "
                + fenceTable
                + " WHERE keyspace = ?"
                + sql.shareLock())) {
      select.setString(1, keyspace);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new ShardingException(
              "shard '"
                  + shardId
                  + "' has no fence row for keyspace '"
                  + keyspace
                  + "' in "
                  + fenceTable
                  + ": build the ShardWriter with its data source");
        }
        long minVersion = row.getLong(1);
        row.getLong(2);
        return new State(minVersion, !row.wasNull());
      }
    }
  }

  private boolean exists(Statement statement) {
    try (ResultSet row =
        statement.executeQuery(
            "SELECT COUNT(*) FROM " + fenceTable + " WHERE keyspace = '" + keyspace + "'")) {
      return row.next() && row.getLong(1) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Remembers a written key, in the writer's transaction. */
  void record(Connection connection, String key) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + changeTable + " (keyspace, shard_key) VALUES (?, ?)")) {
      insert.setString(1, keyspace);
      insert.setString(2, key);
      insert.executeUpdate();
    }
  }

  /** Makes every later write on the shard record its key. Waits for the writes in flight. */
  void startCapture(DataSource dataSource, long toVersion) throws SQLException {
    update(
        dataSource, "UPDATE " + fenceTable + " SET capture_for = ? WHERE keyspace = ?", toVersion);
  }

  /** Refuses every later write routed by a version below {@code minVersion}. Waits likewise. */
  void raise(DataSource dataSource, long minVersion) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE "
                    + fenceTable
                    + " SET min_version = ? WHERE keyspace = ? AND min_version < ?")) {
      connection.setAutoCommit(true);
      update.setLong(1, minVersion);
      update.setString(2, keyspace);
      update.setLong(3, minVersion);
      update.executeUpdate();
    }
  }

  /** Stops recording keys and forgets those recorded. */
  void stopCapture(DataSource dataSource) throws SQLException {
    Tx.run(
        dataSource,
        connection -> {
          try (PreparedStatement update =
                  connection.prepareStatement(
                      "UPDATE " + fenceTable + " SET capture_for = NULL WHERE keyspace = ?");
              PreparedStatement delete =
                  connection.prepareStatement(
                      "DELETE FROM " + changeTable + " WHERE keyspace = ?")) {
            update.setString(1, keyspace);
            update.executeUpdate();
            delete.setString(1, keyspace);
            delete.executeUpdate();
          }
          return null;
        });
  }

  /** Reads up to {@code limit} recorded keys, oldest first. */
  List<Change> changes(DataSource dataSource, int limit) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT seq, shard_key FROM "
                    + changeTable
                    + " WHERE keyspace = ? ORDER BY seq LIMIT "
                    + limit)) {
      select.setString(1, keyspace);
      List<Change> changes = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          changes.add(new Change(rows.getLong(1), rows.getString(2)));
        }
      }
      return changes;
    }
  }

  /** Deletes change rows once their keys were copied. */
  void forget(DataSource dataSource, List<Change> changes) throws SQLException {
    Tx.run(
        dataSource,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM " + changeTable + " WHERE seq = ?")) {
            for (Change change : changes) {
              delete.setLong(1, change.seq());
              delete.addBatch();
            }
            delete.executeBatch();
          }
          return null;
        });
  }

  /** Counts the keys recorded and not yet copied. */
  long pending(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM " + changeTable + " WHERE keyspace = ?")) {
      select.setString(1, keyspace);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private void update(DataSource dataSource, String sql, long value) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(sql)) {
      connection.setAutoCommit(true);
      update.setLong(1, value);
      update.setString(2, keyspace);
      update.executeUpdate();
    }
  }
}
