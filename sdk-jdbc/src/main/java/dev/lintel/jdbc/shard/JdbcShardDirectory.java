package dev.lintel.jdbc.shard;

import dev.lintel.Registration;
import dev.lintel.shard.ShardDirectory;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ShardDirectory} in a database table shared by every node: one row per (directory, key)
 * holding the shard id. Put a {@link dev.lintel.core.shard.CachedShardDirectory} in front of it for
 * routing: every lookup here is a query.
 *
 * <pre>{@code
 * ShardDirectory tenants = CachedShardDirectory.builder(
 *         JdbcShardDirectory.builder(dataSource).directory("tenants").build().createSchema())
 *     .expireAfterWrite(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Guarantees: {@link #assign} is an upsert and {@link #remove} a delete, each committed before
 * it returns; a lookup reads the last committed entry. Listeners registered here hear the changes
 * made through this instance, after they are committed; changes made by other nodes are not
 * announced, so a cache in front of this directory on another node sees them when its entries
 * expire (bound staleness with {@code expireAfterWrite}). Thread-safe.
 */
public final class JdbcShardDirectory implements ShardDirectory {
  private static final Logger log = LoggerFactory.getLogger(JdbcShardDirectory.class);
  private static final int MAX_KEY_LENGTH = 512;

  private final DataSource dataSource;
  private final String table;
  private final String directory;
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();
  private final ShardSql.Lazy upsert;

  private JdbcShardDirectory(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.upsert =
        new ShardSql.Lazy(
            sql ->
                sql.upsert(
                    table,
                    List.of("directory", "shard_key"),
                    List.of("directory", "shard_key", "shard_id")));
    this.directory = builder.directory;
  }

  /**
   * Starts a directory on a data source.
   *
   * @param dataSource the database that holds the table
   * @return a builder: table {@code lintel_shard_directory}, directory {@code default}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Creates the table if it does not exist.
   *
   * @return this directory
   * @throws ShardingException if the database refuses
   */
  public JdbcShardDirectory createSchema() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (directory VARCHAR(128) NOT NULL, shard_key VARCHAR("
              + MAX_KEY_LENGTH
              + ") NOT NULL, shard_id VARCHAR(128) NOT NULL, PRIMARY KEY (directory, shard_key))"
              + ShardSql.of(connection).tableOptions());
      return this;
    } catch (SQLException e) {
      throw new ShardingException("cannot create the directory table " + table, e);
    }
  }

  @Override
  public @Nullable String shardOf(String key) {
    Objects.requireNonNull(key, "key");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT shard_id FROM " + table + " WHERE directory = ? AND shard_key = ?")) {
      select.setString(1, directory);
      select.setString(2, key);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot look key '" + key + "' up in directory '" + directory + "' (" + table + ")", e);
    }
  }

  @Override
  public void assign(String key, String shardId) {
    checkKey(key);
    if (Objects.requireNonNull(shardId, "shardId").isBlank() || shardId.length() > 128) {
      throw new IllegalArgumentException(
          "directory key '"
              + key
              + "' needs a shard id of 1 to 128 characters, not '"
              + shardId
              + "'");
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement write = connection.prepareStatement(upsert.of(connection))) {
        write.setString(1, directory);
        write.setString(2, key);
        write.setString(3, shardId);
        write.executeUpdate();
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot assign key '"
              + key
              + "' to shard '"
              + shardId
              + "' in directory '"
              + directory
              + "'",
          e);
    }
    changed(key);
  }

  @Override
  public void remove(String key) {
    checkKey(key);
    int removed;
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM " + table + " WHERE directory = ? AND shard_key = ?")) {
      connection.setAutoCommit(true);
      delete.setString(1, directory);
      delete.setString(2, key);
      removed = delete.executeUpdate();
    } catch (SQLException e) {
      throw new ShardingException(
          "cannot remove key '" + key + "' from directory '" + directory + "'", e);
    }
    if (removed > 0) {
      changed(key);
    }
  }

  @Override
  public Map<String, String> entries() {
    Map<String, String> entries = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT shard_key, shard_id FROM " + table + " WHERE directory = ?")) {
      select.setString(1, directory);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          entries.put(rows.getString(1), rows.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new ShardingException("cannot list directory '" + directory + "'", e);
    }
    return Map.copyOf(entries);
  }

  @Override
  public Registration onChange(Consumer<@Nullable String> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  private void checkKey(String key) {
    if (Objects.requireNonNull(key, "key").isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a key of directory '"
              + directory
              + "' must have 1 to "
              + MAX_KEY_LENGTH
              + " characters, but had "
              + key.length());
    }
  }

  private void changed(String key) {
    for (Consumer<@Nullable String> listener : listeners) {
      try {
        listener.accept(key);
      } catch (RuntimeException e) {
        log.warn("A listener of directory '{}' failed on key '{}'", directory, key, e);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcShardDirectory[" + table + ", directory=" + directory + "]";
  }

  /** Settings of a {@link JdbcShardDirectory}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = "lintel_shard_directory";
    private String directory = "default";

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
      this.table = ShardSql.identifier(table, "directory table name");
      return this;
    }

    /**
     * Names the directory: one table can hold several directories.
     *
     * @param directory 1 to 128 letters, digits, {@code . _ : -}
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid
     */
    public Builder directory(String directory) {
      this.directory = ShardSql.name(directory, "directory name");
      return this;
    }

    /**
     * Builds the directory; {@link JdbcShardDirectory#createSchema()} creates its table.
     *
     * @return the directory
     */
    public JdbcShardDirectory build() {
      return new JdbcShardDirectory(this);
    }
  }
}
