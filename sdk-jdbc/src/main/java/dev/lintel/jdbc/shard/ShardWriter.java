package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the shard of a key in a transaction that is safe while the {@link Rebalancer} moves
 * data: the write path every writer of a keyspace that is rebalanced must use.
 *
 * <pre>{@code
 * ShardWriter<Long> writer = ShardWriter.builder(watcher, ShardKeyColumn.longs())
 *     .keyspace("accounts").dataSource("pg-0", pool0).dataSource("pg-1", pool1).build();
 * writer.write(accountId, connection -> updateBalance(connection, accountId, 10));
 * }</pre>
 *
 * <p>Each write runs in one transaction on the shard the watcher's current router names, and first
 * reads that shard's fence row under a shared lock. Guarantees:
 *
 * <ul>
 *   <li><b>Version-checked.</b> A shard whose keys moved away refuses writes routed by a topology
 *       older than the move (its fence is raised before the new topology is published). The writer
 *       then reads the store again and retries on the new owner, waiting while the move's short
 *       cut-over lasts, for at most {@link Builder#staleTimeout} (then a {@link
 *       ShardingException}). So a write routed by an old version never lands on the old owner after
 *       the final catch-up.
 *   <li><b>Captured.</b> While a move from the shard is under way, the key is added to the shard's
 *       change table in the same transaction, so the rebalancer copies its last state again.
 *   <li><b>Atomic on one shard.</b> The work commits or rolls back with those two; there are no
 *       cross-shard transactions. The work must not commit, roll back or change auto-commit.
 * </ul>
 *
 * <p>A refused attempt changed nothing, so retrying it cannot apply the work twice. Thread-safe.
 *
 * @param <K> the shard key type
 */
public final class ShardWriter<K> {
  private static final Logger log = LoggerFactory.getLogger(ShardWriter.class);
  private static final Object STALE = new Object();

  private final TopologyWatcher<K> watcher;
  private final ShardKeyColumn<K> keys;
  private final ShardDataSources dataSources;
  private final ShardFence fence;
  private final Duration staleTimeout;
  private final Map<String, ShardSql> dialects = new ConcurrentHashMap<>();

  private ShardWriter(Builder<K> builder) {
    this.watcher = builder.watcher;
    this.keys = builder.keys;
    this.dataSources = new ShardDataSources(builder.dataSources, "writer");
    this.fence = new ShardFence(builder.tablePrefix, builder.keyspace);
    this.staleTimeout = builder.staleTimeout;
    for (Shard shard : watcher.router().topology().shards()) {
      fence.ensure(dataSource(shard), shard.id());
    }
  }

  /**
   * Starts a writer.
   *
   * @param watcher follows the keyspace's topology store
   * @param keys how keys are remembered as text in the change table
   * @param <K> the shard key type
   * @return a builder
   */
  public static <K> Builder<K> builder(TopologyWatcher<K> watcher, ShardKeyColumn<K> keys) {
    return new Builder<>(watcher, keys);
  }

  /**
   * Runs work in a transaction on the shard that owns the key.
   *
   * @param key the shard key
   * @param work the work; it must not commit or roll back
   * @param <T> its result type
   * @return its result, once committed
   * @throws ShardingException if the work or the commit failed (the cause is the {@link
   *     SQLException}, the message names the shard), or the shard stayed fenced against this node's
   *     newest topology for longer than the stale timeout
   */
  public <T> T write(K key, ShardWork<T> work) {
    Objects.requireNonNull(work, "work");
    long deadline = System.nanoTime() + staleTimeout.toNanos();
    long pauseNanos = 1_000_000;
    while (true) {
      ShardRouter<K> router = watcher.router();
      long version = router.topology().version();
      Shard shard = router.shard(key);
      Object result = attempt(shard, version, key, work);
      if (result != STALE) {
        @SuppressWarnings("unchecked")
        T done = (T) result;
        return done;
      }
      if (watcher.refresh().topology().version() > version) {
        continue; // routed again by the newer version
      }
      if (System.nanoTime() > deadline) {
        throw new ShardingException(
            "shard '"
                + shard.id()
                + "' refuses writes routed by topology v"
                + version
                + ", and the store has served nothing newer for "
                + staleTimeout
                + ": is a rebalance stuck between its fence and its switch?");
      }
      LockSupport.parkNanos(pauseNanos); // the cut-over of a move: short
      pauseNanos = Math.min(pauseNanos * 2, 50_000_000);
    }
  }

  private <T> Object attempt(Shard shard, long version, K key, ShardWork<T> work) {
    DataSource dataSource = dataSource(shard);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        ShardFence.State state =
            fence.lock(connection, dialect(shard.id(), connection), shard.id());
        if (state.minVersion() > version) {
          connection.rollback();
          log.debug(
              "Shard '{}' is fenced at v{}; this write was routed by v{}",
              shard.id(),
              state.minVersion(),
              version);
          return STALE;
        }
        T result = work.run(connection);
        if (state.capturing()) {
          fence.record(connection, keys.text(key));
        }
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new ShardingException(
          "write to shard '" + shard.id() + "' failed: " + e.getMessage(), e);
    }
  }

  private ShardSql dialect(String shardId, Connection connection) throws SQLException {
    ShardSql sql = dialects.get(shardId);
    if (sql == null) {
      sql = ShardSql.of(connection);
      dialects.put(shardId, sql);
    }
    return sql;
  }

  private DataSource dataSource(Shard shard) {
    return dataSources.of(shard);
  }

  /**
   * Settings of a {@link ShardWriter}. Not thread-safe.
   *
   * @param <K> the shard key type
   */
  public static final class Builder<K> {
    private final TopologyWatcher<K> watcher;
    private final ShardKeyColumn<K> keys;
    private final Map<String, DataSource> dataSources = new HashMap<>();
    private String keyspace = "default";
    private String tablePrefix = "lintel_";
    private Duration staleTimeout = Duration.ofSeconds(30);

    private Builder(TopologyWatcher<K> watcher, ShardKeyColumn<K> keys) {
      this.watcher = Objects.requireNonNull(watcher, "watcher");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Names the data source of a connection name that shards use; give those of shards that a later
     * topology adds too.
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
     * Names the keyspace, as the rebalancer does; {@code default} by default.
     *
     * @param keyspace 1 to 128 letters, digits, {@code . _ : -}
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid
     */
    public Builder<K> keyspace(String keyspace) {
      this.keyspace = ShardSql.name(keyspace, "keyspace");
      return this;
    }

    /**
     * Prefixes the fence and change tables on each shard; {@code lintel_} by default.
     *
     * @param prefix letters, digits and underscores
     * @return this builder
     * @throws IllegalArgumentException if the prefix is not a plain identifier
     */
    public Builder<K> tablePrefix(String prefix) {
      this.tablePrefix = ShardSql.prefix(prefix);
      return this;
    }

    /**
     * Bounds how long a write waits for the new topology when its shard is fenced; 30 s by default.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder<K> staleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("staleTimeout must be positive, but was " + timeout);
      }
      this.staleTimeout = timeout;
      return this;
    }

    /**
     * Builds the writer and creates the fence tables and rows on the current topology's shards
     * where missing.
     *
     * @return the writer
     * @throws ShardingException if a shard has no data source or its tables cannot be created
     */
    public ShardWriter<K> build() {
      return new ShardWriter<>(this);
    }
  }

  @Override
  public String toString() {
    return "ShardWriter[" + dataSources + "]";
  }
}
