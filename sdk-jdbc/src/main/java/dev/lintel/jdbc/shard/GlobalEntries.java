package dev.lintel.jdbc.shard;

import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one lookup in the global table ({@code value -> shard key as text}), each statement
 * committed on a connection of its own.
 */
final class GlobalEntries {
  private static final Logger log = LoggerFactory.getLogger(GlobalEntries.class);

  private final String name;
  private final DataSource global;
  private final String table;
  private final ShardSql.Lazy upsert;

  GlobalEntries(String name, DataSource global, String table) {
    this.name = name;
    this.global = global;
    this.table = table;
    this.upsert =
        new ShardSql.Lazy(
            sql ->
                sql.upsert(
                    table,
                    List.of("lookup_name", "lookup_value"),
                    List.of("lookup_name", "lookup_value", "shard_key")));
  }

  /** The key the value points at, or null. */
  @Nullable String holder(String value) {
    try (Connection connection = global.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT shard_key FROM " + table + " WHERE lookup_name = ? AND lookup_value = ?")) {
      select.setString(1, name);
      select.setString(2, value);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new ShardingException("lookup '" + name + "' of '" + value + "' failed", e);
    }
  }

  /** Points the value at the key, whatever it pointed at. */
  void upsert(String value, String key) {
    run(value, key, connection -> statement(connection, upsert.of(connection), value, key));
  }

  /** Points a value that points nowhere at the key; false if it points somewhere. */
  boolean insert(String value, String key) {
    try {
      return run(
              value,
              key,
              connection ->
                  statement(
                      connection,
                      ShardSql.insert(table, List.of("lookup_name", "lookup_value", "shard_key")),
                      value,
                      key))
          == 1;
    } catch (ShardingException e) {
      if (e.getCause() instanceof SQLException cause && ShardSql.isDuplicate(cause)) {
        return false;
      }
      throw e;
    }
  }

  /** Points the value at the key if it still points at {@code stale}; false if it does not. */
  boolean replace(String value, String stale, String key) {
    return run(
            value,
            key,
            connection -> {
              PreparedStatement update =
                  connection.prepareStatement(
                      "UPDATE "
                          + table
                          + " SET shard_key = ? WHERE lookup_name = ? AND lookup_value = ? AND"
                          + " shard_key = ?");
              update.setString(1, key);
              update.setString(2, name);
              update.setString(3, value);
              update.setString(4, stale);
              return update;
            })
        == 1;
  }

  /** Deletes the entry if it still points at the key; logs a failure. */
  void drop(String value, String key) {
    try (Connection connection = global.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM "
                    + table
                    + " WHERE lookup_name = ? AND lookup_value = ? AND shard_key = ?")) {
      connection.setAutoCommit(true);
      delete.setString(1, name);
      delete.setString(2, value);
      delete.setString(3, key);
      if (delete.executeUpdate() > 0) {
        log.debug("Dropped the unconfirmed entry '{}' -> '{}' of lookup '{}'", value, key, name);
      }
    } catch (SQLException e) {
      log.warn("Could not drop the unconfirmed entry '{}' of lookup '{}'", value, name, e);
    }
  }

  private PreparedStatement statement(Connection connection, String sql, String value, String key)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.setString(1, name);
    statement.setString(2, value);
    statement.setString(3, key);
    return statement;
  }

  private int run(String value, String key, Prepare prepare) {
    try (Connection connection = global.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement statement = prepare.on(connection)) {
        return statement.executeUpdate();
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot point '" + value + "' at key '" + key + "' in lookup '" + name + "'", e);
    }
  }

  @FunctionalInterface
  private interface Prepare {
    PreparedStatement on(Connection connection) throws SQLException;
  }
}
