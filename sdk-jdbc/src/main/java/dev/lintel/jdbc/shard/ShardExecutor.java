package dev.lintel.jdbc.shard;

import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JDBC work on the shards of a router's topology, each shard a {@link DataSource} named by its
 * {@link Shard#connection() connection name}:
 *
 * <pre>{@code
 * ShardExecutor<String> shards = ShardExecutor.builder(router)
 *     .dataSource("orders-0", pool0).dataSource("orders-1", pool1)
 *     .build();
 * Order order = shards.onShardOf(customerId, connection -> findOrder(connection, orderId));
 * ScatterResult<List<Order>> recent = shards.scatter("recent-orders", connection -> recent(connection, 50))
 *     .perShardTimeout(Duration.ofSeconds(1))
 *     .run();
 * List<Order> newestFirst = ShardMerge.page(recent, byCreatedDescending, 0, 50);
 * }</pre>
 *
 * <p><b>Scatter-gather.</b> A scatter call runs its work on every shard (or a subset) in parallel.
 * Each shard's work gets a timeout counted from when it starts; the call as a whole gets a
 * deadline. A shard whose work runs over its time has its connection aborted (which frees the
 * thread; the database may still finish the statement) and is reported as timed out. By default an
 * incomplete call throws a {@link ScatterException} naming the shards that failed or timed out and
 * carrying the others' answers; {@link Scatter#allowPartial()} returns the incomplete {@link
 * ScatterResult} instead. Either way a short result is never passed off as a whole one. In strict
 * mode (see {@link Builder#strict}) a scatter call whose name was not allowed when the executor was
 * built is refused: every query that fans out to all shards is then a deliberate decision.
 *
 * <p>There are no cross-shard transactions: work on one shard commits or rolls back on that shard
 * alone. Thread-safe; close it to stop the threads it created.
 *
 * @param <K> the shard key type
 */
public final class ShardExecutor<K> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardExecutor.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ShardRouter<K> router;
  private final Map<String, DataSource> dataSources;
  private final ExecutorService workers;
  private final boolean ownsWorkers;
  private final ScheduledExecutorService watchdog;
  private final @Nullable List<String> allowedScatters;
  private final Duration defaultShardTimeout;
  private final Duration defaultDeadline;

  private ShardExecutor(Builder<K> builder) {
    this.router = builder.router;
    this.dataSources = Map.copyOf(builder.dataSources);
    for (Shard shard : router.topology().shards()) {
      if (!dataSources.containsKey(shard.connection())) {
        throw new IllegalArgumentException(
            "Shard '"
                + shard.id()
                + "' uses connection '"
                + shard.connection()
                + "', which has no data source; known: "
                + dataSources.keySet());
      }
    }
    this.ownsWorkers = builder.workers == null;
    this.workers =
        builder.workers != null
            ? builder.workers
            : Executors.newFixedThreadPool(
                Math.max(2, router.topology().shards().size() * 2), daemon("lintel-shard-"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("lintel-shard-watchdog-"));
    this.allowedScatters =
        builder.allowedScatters == null ? null : List.copyOf(builder.allowedScatters);
    this.defaultShardTimeout = builder.shardTimeout;
    this.defaultDeadline = builder.deadline;
  }

  /**
   * Starts building an executor over a router's topology.
   *
   * @param router routes keys to shards
   * @param <K> the shard key type
   * @return a builder
   */
  public static <K> Builder<K> builder(ShardRouter<K> router) {
    return new Builder<>(Objects.requireNonNull(router, "router"));
  }

  /**
   * Runs work on the shard that owns a key.
   *
   * @param key the shard key
   * @param work the work
   * @param <T> its result type
   * @return its result
   * @throws ShardingException if no shard owns the key, or the work failed (the cause is its {@link
   *     SQLException}, the message names the shard)
   */
  public <T> T onShardOf(K key, ShardWork<T> work) {
    return onShard(router.route(key), work);
  }

  /**
   * Runs work on a shard.
   *
   * @param shardId the shard's id
   * @param work the work
   * @param <T> its result type
   * @return its result
   * @throws IllegalArgumentException if the topology has no such shard
   * @throws ShardingException if the work failed (the cause is its {@link SQLException})
   */
  public <T> T onShard(String shardId, ShardWork<T> work) {
    Objects.requireNonNull(work, "work");
    DataSource dataSource = dataSource(shardId);
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new ShardingException("Work on shard '" + shardId + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Prepares a scatter-gather call: the same work on every shard, or on those chosen with {@link
   * Scatter#onShards}.
   *
   * @param name the query's name, for messages, logs and the strict mode's allow-list
   * @param work the work, run once per shard
   * @param <T> each shard's result type
   * @return the call, to configure and {@link Scatter#run()}
   * @throws ShardingException in strict mode, if the name was not allowed
   */
  public <T> Scatter<T> scatter(String name, ShardWork<T> work) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(work, "work");
    if (allowedScatters != null && !allowedScatters.contains(name)) {
      throw new ShardingException(
          "Scatter query '"
              + name
              + "' is refused: this executor is strict and allows only "
              + allowedScatters
              + "; allow it with ShardExecutor.builder(...).strict(...)");
    }
    return new Scatter<>(name, work);
  }

  private DataSource dataSource(String shardId) {
    return dataSources.get(router.topology().shard(shardId).connection());
  }

  /** Stops the threads this executor created (not an executor given to the builder). */
  @Override
  public void close() {
    watchdog.shutdownNow();
    if (ownsWorkers) {
      workers.shutdownNow();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    return task -> {
      Thread thread = new Thread(task, prefix + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * A scatter-gather call being configured. Not thread-safe; run it once.
   *
   * @param <T> each shard's result type
   */
  public final class Scatter<T> {
    private final String name;
    private final ShardWork<T> work;
    private @Nullable List<String> shardIds;
    private Duration shardTimeout = defaultShardTimeout;
    private Duration deadline = defaultDeadline;
    private boolean partialAllowed;

    private Scatter(String name, ShardWork<T> work) {
      this.name = name;
      this.work = work;
    }

    /**
     * Asks only these shards.
     *
     * @param ids shard ids of the topology
     * @return this call
     * @throws IllegalArgumentException if the topology lacks one, or none is given
     */
    public Scatter<T> onShards(Collection<String> ids) {
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("Scatter query '" + name + "' asks no shard");
      }
      for (String id : ids) {
        router.topology().shard(id); // names an unknown id
      }
      this.shardIds = List.copyOf(new LinkedHashSet<>(ids));
      return this;
    }

    /**
     * Sets how long each shard's work may run, counted from when it starts.
     *
     * @param timeout the timeout
     * @return this call
     */
    public Scatter<T> perShardTimeout(Duration timeout) {
      this.shardTimeout = positive(timeout, "perShardTimeout");
      return this;
    }

    /**
     * Sets how long the whole call may take; shards that have not answered by then are timed out.
     *
     * @param timeout the deadline, from the call of {@link #run()}
     * @return this call
     */
    public Scatter<T> deadline(Duration timeout) {
      this.deadline = positive(timeout, "deadline");
      return this;
    }

    /**
     * Returns an incomplete result instead of throwing when a shard fails or times out.
     *
     * @return this call
     */
    public Scatter<T> allowPartial() {
      this.partialAllowed = true;
      return this;
    }

    /**
     * Runs the work on the shards in parallel and gathers the answers.
     *
     * @return every shard's answer, or, with {@link #allowPartial()}, those that answered and which
     *     did not
     * @throws ScatterException if a shard failed or timed out and partial results are not allowed
     */
    public ScatterResult<T> run() {
      List<String> ids =
          shardIds != null ? shardIds : router.topology().shards().stream().map(Shard::id).toList();
      long deadlineNanos = System.nanoTime() + deadline.toNanos();
      Map<ShardCall<T>, CompletableFuture<T>> calls = new LinkedHashMap<>();
      for (String id : ids) {
        ShardCall<T> call = new ShardCall<>(id, dataSource(id), work, shardTimeout, watchdog);
        calls.put(call, CompletableFuture.supplyAsync(call::run, workers));
      }
      Map<String, T> answers = new LinkedHashMap<>();
      Map<String, Throwable> failures = new LinkedHashMap<>();
      Set<String> timedOut = new LinkedHashSet<>();
      for (Map.Entry<ShardCall<T>, CompletableFuture<T>> entry : calls.entrySet()) {
        ShardCall<T> call = entry.getKey();
        long left = deadlineNanos - System.nanoTime();
        try {
          answers.put(call.shardId, entry.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          call.abort();
          timedOut.add(call.shardId);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof ShardTimedOut) {
            timedOut.add(call.shardId);
          } else {
            failures.put(call.shardId, e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          calls.keySet().forEach(ShardCall::abort);
          throw new ShardingException("Scatter query '" + name + "' was interrupted", e);
        }
      }
      ScatterResult<T> result = new ScatterResult<>(ids, answers, failures, timedOut);
      if (!result.isComplete()) {
        log.warn("Scatter query '{}' is incomplete: {}", name, result);
        if (!partialAllowed) {
          throw new ScatterException(name, result);
        }
      }
      return result;
    }
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive but was " + duration);
    }
    return duration;
  }

  /** One shard's part of a scatter call: its connection, its timer, its outcome. */
  private static final class ShardCall<T> {
    final String shardId;
    private final DataSource dataSource;
    private final ShardWork<T> work;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog;
    private final AtomicReference<@Nullable Connection> connection = new AtomicReference<>();
    private final AtomicBoolean aborted = new AtomicBoolean();

    ShardCall(
        String shardId,
        DataSource dataSource,
        ShardWork<T> work,
        Duration timeout,
        ScheduledExecutorService watchdog) {
      this.shardId = shardId;
      this.dataSource = dataSource;
      this.work = work;
      this.timeout = timeout;
      this.watchdog = watchdog;
    }

    T run() {
      if (aborted.get()) {
        throw new ShardTimedOut();
      }
      ScheduledFuture<?> timer =
          watchdog.schedule(this::abort, timeout.toNanos(), TimeUnit.NANOSECONDS);
      try (Connection opened = dataSource.getConnection()) {
        connection.set(opened);
        if (aborted.get()) {
          throw new ShardTimedOut();
        }
        return work.run(opened);
      } catch (SQLException e) {
        if (aborted.get()) {
          throw new ShardTimedOut();
        }
        throw new ShardingException("Work on shard '" + shardId + "' failed: " + e.getMessage(), e);
      } finally {
        timer.cancel(false);
        connection.set(null);
      }
    }

    /** Aborts the shard's connection, if it has one, so that its work ends at once. */
    void abort() {
      if (aborted.compareAndSet(false, true)) {
        Connection open = connection.get();
        if (open != null) {
          try {
            open.abort(Runnable::run);
          } catch (SQLException | RuntimeException e) {
            log.debug("Aborting the connection of shard '{}' failed", shardId, e);
          }
        }
      }
    }
  }

  /** A shard's work ran over its time and its connection was aborted. */
  private static final class ShardTimedOut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShardTimedOut() {
      super(null, null, false, false);
    }
  }

  /**
   * Builds a {@link ShardExecutor}. Not thread-safe.
   *
   * @param <K> the shard key type
   */
  public static final class Builder<K> {
    private final ShardRouter<K> router;
    private final Map<String, DataSource> dataSources = new HashMap<>();
    private @Nullable ExecutorService workers;
    private @Nullable List<String> allowedScatters;
    private Duration shardTimeout = Duration.ofSeconds(30);
    private Duration deadline = Duration.ofSeconds(60);

    private Builder(ShardRouter<K> router) {
      this.router = router;
    }

    /**
     * Names the data source of a connection name that shards use.
     *
     * @param connection the connection name, as in {@link Shard#connection()}
     * @param dataSource its data source (a pool)
     * @return this builder
     */
    public Builder<K> dataSource(String connection, DataSource dataSource) {
      dataSources.put(
          Objects.requireNonNull(connection, "connection"),
          Objects.requireNonNull(dataSource, "dataSource"));
      return this;
    }

    /**
     * Runs scatter work on the host's executor instead of a fixed pool of twice as many threads as
     * shards; the executor is not shut down by {@link ShardExecutor#close()}.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder<K> executor(ExecutorService executor) {
      this.workers = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the default per-shard timeout of scatter calls; 30 s by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder<K> perShardTimeout(Duration timeout) {
      this.shardTimeout = positive(timeout, "perShardTimeout");
      return this;
    }

    /**
     * Sets the default deadline of scatter calls; 60 s by default.
     *
     * @param timeout the deadline
     * @return this builder
     */
    public Builder<K> deadline(Duration timeout) {
      this.deadline = positive(timeout, "deadline");
      return this;
    }

    /**
     * Turns on strict mode: only scatter calls with these names run; any other is refused.
     *
     * @param allowedScatterNames the names of the scatter queries allowed
     * @return this builder
     */
    public Builder<K> strict(String... allowedScatterNames) {
      this.allowedScatters = List.of(allowedScatterNames);
      return this;
    }

    /**
     * Builds the executor.
     *
     * @return the executor
     * @throws IllegalArgumentException if a shard's connection has no data source
     */
    public ShardExecutor<K> build() {
      return new ShardExecutor<>(this);
    }
  }
}
