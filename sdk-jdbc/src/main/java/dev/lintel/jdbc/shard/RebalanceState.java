package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.TopologyJson;
import dev.lintel.shard.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Rebalancer} keeps its progress, in the control database: one row per move (both
 * topologies and the step it is at) and one per table, shard and scanning step (the keyset cursor
 * and the rows done). Every change is committed at once, after the work it records: work done but
 * not yet recorded is done again on resume, which each step tolerates.
 */
final class RebalanceState {
  private final DataSource control;
  private final String moves;
  private final String ranges;
  private final String keyspace;

  RebalanceState(DataSource control, String tablePrefix, String keyspace) {
    this.control = control;
    this.moves = ShardSql.identifier(tablePrefix + "shard_rebalance", "rebalance table name");
    this.ranges =
        ShardSql.identifier(tablePrefix + "shard_rebalance_range", "rebalance range table name");
    this.keyspace = keyspace;
  }

  /** A move as recorded. */
  record Move(Topology from, Topology to, RebalanceStep step) {}

  /** How far one table of one shard got in a scanning step. */
  record Range(@Nullable String cursor, long rowsDone, boolean done) {}

  void ensureSchema() throws SQLException {
    try (Connection connection = control.getConnection();
        Statement statement = connection.createStatement()) {
      ShardSql sql = ShardSql.of(connection);
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + moves
              + " (keyspace VARCHAR(128) NOT NULL, to_version BIGINT NOT NULL, from_topology "
              + sql.textType()
              + " NOT NULL, to_topology "
              + sql.textType()
              + " NOT NULL, step VARCHAR(32) NOT NULL, PRIMARY KEY (keyspace, to_version))"
              + sql.tableOptions());
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + ranges
              + " (keyspace VARCHAR(128) NOT NULL, to_version BIGINT NOT NULL, step VARCHAR(32)"
              + " NOT NULL, tbl VARCHAR(128) NOT NULL, shard VARCHAR(128) NOT NULL, cursor_key"
              + " VARCHAR(512), rows_done BIGINT NOT NULL, done BOOLEAN NOT NULL, PRIMARY KEY"
              + " (keyspace, to_version, step, tbl, shard))"
              + sql.tableOptions());
    }
  }

  /** The move to a version, or null if none was started. */
  @Nullable Move find(long toVersion) throws SQLException {
    try (Connection connection = control.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT from_topology, to_topology, step FROM "
                    + moves
                    + " WHERE keyspace = ? AND to_version = ?")) {
      select.setString(1, keyspace);
      select.setLong(2, toVersion);
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? new Move(
                TopologyJson.read(row.getString(1)),
                TopologyJson.read(row.getString(2)),
                RebalanceStep.valueOf(row.getString(3)))
            : null;
      }
    }
  }

  /** The version of a move of this keyspace that is not done, other than the given one; or 0. */
  long unfinishedOtherThan(long toVersion) throws SQLException {
    try (Connection connection = control.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT MIN(to_version) FROM "
                    + moves
                    + " WHERE keyspace = ? AND to_version <> ? AND step <> ?")) {
      select.setString(1, keyspace);
      select.setLong(2, toVersion);
      select.setString(3, RebalanceStep.DONE.name());
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  /** Records a new move at its first step; false if another run recorded it first. */
  boolean start(Topology from, Topology to) throws SQLException {
    try (Connection connection = control.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO "
                    + moves
                    + " (keyspace, to_version, from_topology, to_topology, step) VALUES (?, ?, ?,"
                    + " ?, ?)")) {
      connection.setAutoCommit(true);
      insert.setString(1, keyspace);
      insert.setLong(2, to.version());
      insert.setString(3, TopologyJson.write(from));
      insert.setString(4, TopologyJson.write(to));
      insert.setString(5, RebalanceStep.PREPARE.name());
      insert.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (ShardSql.isDuplicate(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Records that the move reached a step. */
  void step(long toVersion, RebalanceStep step) throws SQLException {
    try (Connection connection = control.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE " + moves + " SET step = ? WHERE keyspace = ? AND to_version = ?")) {
      connection.setAutoCommit(true);
      update.setString(1, step.name());
      update.setString(2, keyspace);
      update.setLong(3, toVersion);
      update.executeUpdate();
    }
  }

  /** How far a table of a shard got in a step; nothing done if it never began. */
  Range range(long toVersion, RebalanceStep step, String table, String shard) throws SQLException {
    try (Connection connection = control.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT cursor_key, rows_done, done FROM "
                    + ranges
                    + " WHERE keyspace = ? AND to_version = ? AND step = ? AND tbl = ? AND shard"
                    + " = ?")) {
      bindRange(select, toVersion, step, table, shard);
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? new Range(row.getString(1), row.getLong(2), row.getBoolean(3))
            : new Range(null, 0, false);
      }
    }
  }

  /** Records how far a table of a shard got. */
  void saveRange(long toVersion, RebalanceStep step, String table, String shard, Range range)
      throws SQLException {
    try (Connection connection = control.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE "
                  + ranges
                  + " SET cursor_key = ?, rows_done = ?, done = ? WHERE keyspace = ? AND"
                  + " to_version = ? AND step = ? AND tbl = ? AND shard = ?")) {
        update.setString(1, range.cursor());
        update.setLong(2, range.rowsDone());
        update.setBoolean(3, range.done());
        update.setString(4, keyspace);
        update.setLong(5, toVersion);
        update.setString(6, step.name());
        update.setString(7, table);
        update.setString(8, shard);
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + ranges
                  + " (keyspace, to_version, step, tbl, shard, cursor_key, rows_done, done) VALUES"
                  + " (?, ?, ?, ?, ?, ?, ?, ?)")) {
        bindRange(insert, toVersion, step, table, shard);
        insert.setString(6, range.cursor());
        insert.setLong(7, range.rowsDone());
        insert.setBoolean(8, range.done());
        insert.executeUpdate();
      }
    }
  }

  private void bindRange(
      PreparedStatement statement, long toVersion, RebalanceStep step, String table, String shard)
      throws SQLException {
    statement.setString(1, keyspace);
    statement.setLong(2, toVersion);
    statement.setString(3, step.name());
    statement.setString(4, table);
    statement.setString(5, shard);
  }
}
