package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A secondary lookup: finds the shard key that owns a value of another column (an email, a
 * username, an order number) so that a query by that value runs on one shard instead of all.
 *
 * <pre>{@code
 * ShardLookup<Long> emails = ShardLookup.builder("emails", watcher, ShardKeyColumn.longs())
 *     .global(controlPool).dataSource("pg-0", pool0).dataSource("pg-1", pool1).build();
 * writer.write(accountId, connection -> {
 *   insertAccount(connection, accountId, email);
 *   emails.put(connection, email, accountId);        // in the account's transaction
 *   return null;
 * });
 * Optional<Account> found = emails.onShardOf(email, (connection, id) -> loadAccount(connection, id));
 * }</pre>
 *
 * <p>Two tables hold the lookup. On each shard, a <b>local table</b> ({@code value -> shard key},
 * primary key on the value) is written in the same transaction as the owner's row, so it is exactly
 * as current as the data and moves with it: give {@link #localTable()} to the {@link Rebalancer}.
 * In a <b>global table</b> (one database for all shards) each value points to its shard key; {@link
 * #put} writes it first, on a connection of its own, and the shard transaction second.
 *
 * <p>Guarantees: a lookup reads the global table (one query), routes the key with the watcher's
 * current router and confirms the value in that shard's local table (one query on one shard), then
 * runs the work there on the same connection. The local table is the truth: a global entry whose
 * shard transaction rolled back, or whose value was removed or given to another key, is not
 * confirmed, is answered as absent and is deleted. A value whose global write succeeded but whose
 * shard write has not committed yet is absent until it commits. When the shard does not confirm
 * because its key just moved, the lookup reads the topology store again and tries the new owner
 * once. Thread-safe.
 *
 * <p>By default values are not unique across keys: the last {@code put} of a value wins the global
 * entry. A {@linkplain Builder#unique() unique} lookup gives each value at most one owner: a {@code
 * put} of a value that another key owns (its global entry points at that key and that key's shard
 * confirms it, or will once the transaction in flight there commits) throws {@link
 * LookupValueTakenException}, while a stale entry (its shard transaction rolled back, or the value
 * was removed) is taken over. Of concurrent puts of one value for different keys exactly one
 * succeeds, whichever shards they run on: the global table's primary key and updates conditional on
 * the entry read decide, never a read followed by a blind write. In that mode {@code put} writes
 * the local row first, in the caller's transaction (which must not be in auto-commit), and claims
 * the global entry second; checking a stale entry borrows one connection on the holder's shard; a
 * lookup leaves an unconfirmed entry in place (it may be a claim whose transaction is in flight)
 * for a later put to take over.
 *
 * @param <K> the shard key type
 */
public final class ShardLookup<K> {
  private static final int MAX_VALUE_LENGTH = 512;

  private final String name;
  private final TopologyWatcher<K> watcher;
  private final ShardKeyColumn<K> keys;
  private final DataSource global;
  private final String globalTable;
  private final String localTable;
  private final ShardDataSources dataSources;
  private final GlobalEntries entries;
  private final @Nullable UniqueClaim<K> unique;
  private final ShardSql.Lazy localUpsert;

  private ShardLookup(Builder<K> builder) {
    this.name = builder.name;
    this.watcher = builder.watcher;
    this.keys = builder.keys;
    this.global = Objects.requireNonNull(builder.global, "call global(dataSource)");
    this.globalTable = builder.globalTable;
    this.localTable =
        builder.localTable == null ? "lintel_lookup_" + safe(name) : builder.localTable;
    this.dataSources = new ShardDataSources(builder.dataSources, "lookup '" + name + "'");
    this.entries = new GlobalEntries(name, global, globalTable);
    this.localUpsert =
        new ShardSql.Lazy(
            sql ->
                sql.upsert(
                    localTable, List.of("lookup_value"), List.of("lookup_value", "shard_key")));
    this.unique =
        builder.unique
            ? new UniqueClaim<>(name, watcher, keys, entries, localTable, dataSources)
            : null;
  }

  /**
   * Starts a lookup.
   *
   * @param name the lookup's name, such as {@code emails}: 1 to 128 letters, digits, {@code . _ :
   *     -}
   * @param watcher follows the keyspace's topology
   * @param keys how the shard keys are stored
   * @param <K> the shard key type
   * @return a builder
   * @throws IllegalArgumentException if the name is invalid
   */
  public static <K> Builder<K> builder(
      String name, TopologyWatcher<K> watcher, ShardKeyColumn<K> keys) {
    return new Builder<>(ShardSql.name(name, "lookup name"), watcher, keys);
  }

  /**
   * Describes the local table for the {@link Rebalancer}, which moves its rows with their owners.
   *
   * @return the local table: primary key {@code lookup_value}, shard key column {@code shard_key}
   */
  public ShardedTable localTable() {
    return ShardedTable.of(localTable, "lookup_value", ShardKeyColumn.strings(), "shard_key");
  }

  /**
   * Creates the global table and, on each given shard data source, the local table (with an index
   * on the shard key), where missing.
   *
   * @return this lookup
   * @throws ShardingException if a database refuses
   */
  public ShardLookup<K> createTables() {
    execute(
        global,
        "global lookup table " + globalTable,
        sql ->
            List.of(
                "CREATE TABLE IF NOT EXISTS "
                    + globalTable
                    + " (lookup_name VARCHAR(128) NOT NULL, lookup_value VARCHAR("
                    + MAX_VALUE_LENGTH
                    + ") NOT NULL, shard_key VARCHAR(512) NOT NULL, PRIMARY KEY (lookup_name,"
                    + " lookup_value))"
                    + sql.tableOptions()));
    for (Shard shard : watcher.router().topology().shards()) {
      createLocalTable(dataSources.of(shard));
    }
    return this;
  }

  /**
   * Creates the local table on one shard database, where missing: for a shard that a new topology
   * adds, before the rebalancer runs.
   *
   * @param shard the shard's data source
   * @return this lookup
   * @throws ShardingException if the database refuses
   */
  public ShardLookup<K> createLocalTable(DataSource shard) {
    execute(
        shard,
        "local lookup table " + localTable,
        sql ->
            List.of(
                "CREATE TABLE IF NOT EXISTS "
                    + localTable
                    + " (lookup_value VARCHAR("
                    + MAX_VALUE_LENGTH
                    + ") NOT NULL PRIMARY KEY, shard_key "
                    + keys.sqlType()
                    + " NOT NULL)"
                    + sql.tableOptions(),
                "CREATE INDEX IF NOT EXISTS "
                    + localTable
                    + "_key ON "
                    + localTable
                    + " (shard_key)"));
    return this;
  }

  /**
   * Points a value at its owner: the global entry now (committed on its own connection), the local
   * row in the caller's transaction on the owner's shard. In a {@linkplain Builder#unique() unique}
   * lookup the local row comes first and the global entry is only claimed if no other key owns the
   * value; a refused put is undone in the caller's transaction (rolled back to a savepoint), which
   * can then roll back or go on.
   *
   * @param shardConnection the connection of the owner's write, on the owner's shard (as given by
   *     {@link ShardWriter#write})
   * @param value the value, 1 to 512 characters
   * @param key the owner's shard key
   * @throws SQLException if the local row cannot be written (the caller's transaction fails)
   * @throws LookupValueTakenException if the lookup is unique and another key owns the value
   * @throws ShardingException if the global entry cannot be written
   * @throws IllegalArgumentException if the value is empty or too long
   * @throws IllegalStateException if the lookup is unique and the connection is in auto-commit
   */
  public void put(Connection shardConnection, String value, K key) throws SQLException {
    checkValue(value);
    if (unique != null) {
      unique.put(shardConnection, value, key);
      return;
    }
    entries.upsert(value, keys.text(key));
    try (PreparedStatement upsert =
        shardConnection.prepareStatement(localUpsert.of(shardConnection))) {
      upsert.setString(1, value);
      keys.bind(upsert, 2, key);
      upsert.executeUpdate();
    }
  }

  /**
   * Removes a value in the caller's transaction on the owner's shard. The global entry is left and
   * dropped by the first lookup that does not find the value confirmed.
   *
   * @param shardConnection the connection of the owner's write
   * @param value the value
   * @throws SQLException if the local row cannot be deleted
   */
  public void remove(Connection shardConnection, String value) throws SQLException {
    try (PreparedStatement delete =
        shardConnection.prepareStatement("DELETE FROM " + localTable + " WHERE lookup_value = ?")) {
      delete.setString(1, value);
      delete.executeUpdate();
    }
  }

  /**
   * Finds the owner of a value.
   *
   * @param value the value
   * @return the owner's shard key, or empty if no owner confirms it
   * @throws ShardingException if a database fails
   */
  public Optional<K> find(String value) {
    return onShardOf(value, (connection, key) -> key);
  }

  /**
   * Runs work on the shard of a value's owner, after the shard confirmed the value, on the same
   * connection.
   *
   * @param value the value
   * @param work the work, given the connection and the owner's key
   * @param <T> its result type
   * @return the work's result, or empty if no owner confirms the value (the work did not run)
   * @throws ShardingException if a database fails or the work does
   */
  public <T> Optional<T> onShardOf(String value, OwnerWork<K, T> work) {
    Objects.requireNonNull(work, "work");
    String text = entries.holder(value);
    if (text == null) {
      return Optional.empty();
    }
    K key = keys.parse(text);
    ShardRouter<K> router = watcher.router();
    Optional<T> found = onConfirmedShard(router.shard(key), value, key, work);
    if (found.isEmpty()) {
      ShardRouter<K> newer = watcher.refresh();
      if (newer.topology().version() > router.topology().version()) {
        found = onConfirmedShard(newer.shard(key), value, key, work); // it moved meanwhile
      }
    }
    if (found.isEmpty() && unique == null) {
      entries.drop(value, text);
    }
    return found;
  }

  private <T> Optional<T> onConfirmedShard(Shard shard, String value, K key, OwnerWork<K, T> work) {
    try (Connection connection = dataSources.of(shard).getConnection()) {
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT shard_key FROM " + localTable + " WHERE lookup_value = ?")) {
        select.setString(1, value);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next() || !keys.read(row, 1).equals(key)) {
            return Optional.empty();
          }
        }
      }
      return Optional.ofNullable(work.run(connection, key));
    } catch (SQLException e) {
      throw new ShardingException(
          "lookup '" + name + "' of '" + value + "' failed on shard '" + shard.id() + "'", e);
    }
  }

  private void checkValue(String value) {
    if (Objects.requireNonNull(value, "value").isEmpty() || value.length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "a value of lookup '"
              + name
              + "' must have 1 to "
              + MAX_VALUE_LENGTH
              + " characters, but had "
              + value.length());
    }
  }

  private static void execute(
      DataSource dataSource, String what, Function<ShardSql, List<String>> statements) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements.apply(ShardSql.of(connection))) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new ShardingException("cannot create the " + what + ": " + e.getMessage(), e);
    }
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
  }

  /**
   * Work on the shard of a value's owner.
   *
   * @param <K> the shard key type
   * @param <T> the result type
   */
  @FunctionalInterface
  public interface OwnerWork<K, T> {
    /**
     * Runs the work.
     *
     * @param connection a connection to the owner's shard
     * @param key the owner's shard key
     * @return the result; null is answered as empty
     * @throws SQLException if the database fails
     */
    @Nullable T run(Connection connection, K key) throws SQLException;
  }

  /**
   * Settings of a {@link ShardLookup}. Not thread-safe.
   *
   * @param <K> the shard key type
   */
  public static final class Builder<K> {
    private final String name;
    private final TopologyWatcher<K> watcher;
    private final ShardKeyColumn<K> keys;
    private final Map<String, DataSource> dataSources = new HashMap<>();
    private @Nullable DataSource global;
    private String globalTable = "lintel_shard_lookup";
    private @Nullable String localTable;
    private boolean unique;

    private Builder(String name, TopologyWatcher<K> watcher, ShardKeyColumn<K> keys) {
      this.name = name;
      this.watcher = Objects.requireNonNull(watcher, "watcher");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Sets the database of the global table.
     *
     * @param dataSource its data source
     * @return this builder
     */
    public Builder<K> global(DataSource dataSource) {
      this.global = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Names the global table; {@code lintel_shard_lookup} by default (lookups share it by name).
     *
     * @param table letters, digits and underscores, optionally after {@code schema.}
     * @return this builder
     * @throws IllegalArgumentException if the name is not a plain identifier
     */
    public Builder<K> globalTable(String table) {
      this.globalTable = ShardSql.identifier(table, "global lookup table name");
      return this;
    }

    /**
     * Names the local table on each shard; {@code lintel_lookup_<name>} by default.
     *
     * @param table letters, digits and underscores, optionally after {@code schema.}
     * @return this builder
     * @throws IllegalArgumentException if the name is not a plain identifier
     */
    public Builder<K> localTable(String table) {
      this.localTable = ShardSql.identifier(table, "local lookup table name");
      return this;
    }

    /**
     * Names the data source of a connection name that shards use.
     *
     * @param connection the connection name, as in {@link Shard#connection()}
     * @param dataSource its data source
     * @return this builder
     */
    public Builder<K> dataSource(String connection, DataSource dataSource) {
      dataSources.put(
          Objects.requireNonNull(connection, "connection"),
          Objects.requireNonNull(dataSource, "dataSource"));
      return this;
    }

    /**
     * Makes values unique across keys: a value has at most one owner, and a {@link ShardLookup#put}
     * of a value that another key owns throws {@link LookupValueTakenException}. See {@link
     * ShardLookup} for how concurrent puts are decided.
     *
     * @return this builder
     */
    public Builder<K> unique() {
      this.unique = true;
      return this;
    }

    /**
     * Builds the lookup; {@link ShardLookup#createTables()} creates its tables.
     *
     * @return the lookup
     * @throws NullPointerException if no global data source was given
     */
    public ShardLookup<K> build() {
      return new ShardLookup<>(this);
    }
  }
}
