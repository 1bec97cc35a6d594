package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@code put} of a unique {@link ShardLookup}: claims a value for one key, or refuses it when
 * another key owns it.
 *
 * <p>Order matters. The local row is written first, in the caller's transaction, so that it holds
 * the value's row lock on the owner's shard; the global entry is claimed second, with a plain
 * insert whose primary key lets one key in. A put that finds the entry held by another key asks
 * that key's shard with a probe: an insert of the same local row in a transaction of its own,
 * always rolled back. The probe waits while the holder's transaction is in flight (the holder wrote
 * its local row before its global claim), then fails on the committed row (the holder owns the
 * value: refused) or succeeds on a rolled-back or removed one (stale: the entry is taken over with
 * an update conditional on the holder read, so of two takers one wins).
 */
final class UniqueClaim<K> {
  private static final int ATTEMPTS = 20;

  private final String name;
  private final TopologyWatcher<K> watcher;
  private final ShardKeyColumn<K> keys;
  private final GlobalEntries global;
  private final String localTable;
  private final ShardDataSources dataSources;

  UniqueClaim(
      String name,
      TopologyWatcher<K> watcher,
      ShardKeyColumn<K> keys,
      GlobalEntries global,
      String localTable,
      ShardDataSources dataSources) {
    this.name = name;
    this.watcher = watcher;
    this.keys = keys;
    this.global = global;
    this.localTable = localTable;
    this.dataSources = dataSources;
  }

  void put(Connection shard, String value, K key) throws SQLException {
    if (shard.getAutoCommit()) {
      throw new IllegalStateException(
          "lookup '"
              + name
              + "' is unique: put runs in the owner's transaction (auto-commit off), as"
              + " ShardWriter.write gives it");
    }
    Savepoint start = shard.setSavepoint();
    try {
      claimLocally(shard, start, value, key);
      claimGlobally(value, key);
    } catch (SQLException | RuntimeException e) {
      try {
        shard.rollback(start);
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    shard.releaseSavepoint(start);
  }

  /** Leaves the caller's transaction holding the local row {@code value -> key}. */
  private void claimLocally(Connection shard, Savepoint start, String value, K key)
      throws SQLException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        insertLocal(shard, value, key);
        return;
      } catch (SQLException e) {
        if (!ShardSql.isDuplicate(e)) {
          throw e;
        }
        shard.rollback(start); // the row is committed on this shard: whose is it?
      }
      // a locking read: it sees the committed row whatever the isolation level, and shares the lock
      // that the failed insert took on MariaDB (asking for more would deadlock with other losers)
      K holder = localHolder(shard, value, true);
      if (holder == null) {
        continue; // removed meanwhile
      }
      if (holder.equals(key)) {
        return;
      }
      String text = keys.text(holder);
      if (text.equals(global.holder(value))) {
        throw new LookupValueTakenException(name, value, text);
      }
      // a row the global table does not point at (left by a caller that ignored a refusal)
      try (PreparedStatement update =
          shard.prepareStatement(
              "UPDATE "
                  + localTable
                  + " SET shard_key = ? WHERE lookup_value = ? AND shard_key = ?")) {
        keys.bind(update, 1, key);
        update.setString(2, value);
        keys.bind(update, 3, holder);
        if (update.executeUpdate() == 0) {
          continue; // taken meanwhile
        }
      }
      return;
    }
    throw contended(value);
  }

  private void claimGlobally(String value, K key) {
    String text = keys.text(key);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (global.insert(value, text)) {
        return;
      }
      String holder = global.holder(value);
      if (holder == null) {
        continue; // dropped meanwhile
      }
      if (holder.equals(text)) {
        return;
      }
      if (confirmed(value, keys.parse(holder), key)) {
        throw new LookupValueTakenException(name, value, holder);
      }
      if (global.replace(value, holder, text)) {
        return;
      }
    }
    throw contended(value);
  }

  /** Tells whether the holder's shard has a committed local row {@code value -> holder}. */
  private boolean confirmed(String value, K holder, K key) {
    ShardRouter<K> router = watcher.router();
    DataSource holderShard = dataSources.of(router.shard(holder));
    if (holderShard == dataSources.of(router.shard(key))) {
      return false; // this put's transaction holds the value's row there, as its own
    }
    try (Connection probe = holderShard.getConnection()) {
      probe.setAutoCommit(false);
      try {
        insertLocal(probe, value, holder); // waits while a holder's transaction is in flight
        return false;
      } catch (SQLException e) {
        if (!ShardSql.isDuplicate(e)) {
          throw e;
        }
        probe.rollback();
        return holder.equals(localHolder(probe, value, false));
      } finally {
        probe.rollback();
        probe.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "lookup '" + name + "' cannot ask the shard of key '" + keys.text(holder) + "'", e);
    }
  }

  private void insertLocal(Connection connection, String value, K key) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + localTable + " (lookup_value, shard_key) VALUES (?, ?)")) {
      insert.setString(1, value);
      keys.bind(insert, 2, key);
      insert.executeUpdate();
    }
  }

  private @Nullable K localHolder(Connection connection, String value, boolean lock)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT shard_key FROM "
                + localTable
                + " WHERE lookup_value = ?"
                + (lock ? ShardSql.of(connection).shareLock() : ""))) {
      select.setString(1, value);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? keys.read(row, 1) : null;
      }
    }
  }

  private ShardingException contended(String value) {
    return new ShardingException(
        "value '"
            + value
            + "' of lookup '"
            + name
            + "' changed hands "
            + ATTEMPTS
            + " times while this put tried to claim it");
  }
}
