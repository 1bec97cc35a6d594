package dev.lintel.jdbc.shard;

import dev.lintel.core.shard.ShardPlanner;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardMove;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.shard.TopologyStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves rows between shard databases when a keyspace's topology changes (a shard added or removed,
 * weights or ranges changed), following the workflow of Vitess' MoveTables / Reshard:
 *
 * <pre>{@code
 * Rebalancer<Long> rebalancer = Rebalancer.builder(store, ShardKeyColumn.longs(), routers)
 *     .keyspace("accounts").control(controlPool)
 *     .dataSource("pg-0", pool0).dataSource("pg-1", pool1).dataSource("pg-2", pool2)
 *     .table(ShardedTable.of("accounts", "id", ShardKeyColumn.longs()))
 *     .build();
 * rebalancer.run(current.next(fourShards, ShardStrategy.jump("s0", "s1", "s2", "s3")));
 * }</pre>
 *
 * <ol>
 *   <li>{@link RebalanceStep#PREPARE}: every write through a {@link ShardWriter} on a shard that
 *       loses keys now also records its key in that shard's change table (change capture by the
 *       library's write path, in the write's own transaction).
 *   <li>{@link RebalanceStep#COPY}: each table of each such shard is read in primary-key order, in
 *       pages of {@link Builder#batchSize} rows (keyset pagination: no long transaction, no
 *       OFFSET); rows the new topology routes elsewhere are upserted on their new shard.
 *   <li>{@link RebalanceStep#CATCH_UP}: the keys written meanwhile are copied again from their
 *       current state (rows inserted, replaced or deleted on the new shard), and their change rows
 *       deleted, until few are left.
 *   <li>{@link RebalanceStep#FENCE}: the old shards' fences are raised to the new version: writers
 *       still routing by the old topology are refused there (they wait and retry, see {@link
 *       ShardWriter}). This short write pause lasts until {@code SWITCH}.
 *   <li>{@link RebalanceStep#FINAL_CATCH_UP}, then {@link RebalanceStep#VERIFY}: the last keys are
 *       copied, then for every moved set (table, old shard, new shard) the row count and an
 *       order-independent checksum of the rows' values are compared on both sides; a difference
 *       stops the move before the switch with a {@link ShardingException} naming the set.
 *   <li>{@link RebalanceStep#SWITCH}: the new topology is published to the store (compare-and-set).
 *   <li>{@link RebalanceStep#DELETE}: after {@link Builder#deleteGrace} (for readers still on the
 *       old topology), the moved rows are deleted from their old shards in batches.
 *   <li>{@link RebalanceStep#RELEASE}: the old shards stop recording writes.
 * </ol>
 *
 * <p>Guarantees: the state is persisted in the control database after each step and each batch, so
 * a run that is killed anywhere (interrupted, its connections dropped, its process gone) is resumed
 * by the next {@link #run} with the same target, and a run of a finished move does nothing. No
 * write acknowledged by a {@code ShardWriter} is lost or applied twice: catch-up copies a key's
 * current state rather than replaying operations, so copying a key again is harmless, and every
 * write either commits before the fence (and is caught up) or is refused by it and retried on the
 * new owner. Writes that bypass the {@code ShardWriter} during a move are not covered. One run per
 * keyspace at a time: a run holds a lock in a session of the control database (an advisory lock on
 * PostgreSQL, {@code GET_LOCK} on MariaDB, a row lock on H2) and a second run is refused while it
 * lasts; a move to another version while one is unfinished is refused. Not thread-safe: call {@link
 * #run} from one thread.
 *
 * @param <K> the shard key type
 */
public final class Rebalancer<K> {
  private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

  private final TopologyStore store;
  private final ShardKeyColumn<K> keys;
  private final Function<Topology, ShardRouter<K>> routers;
  private final ShardDataSources dataSources;
  private final List<ShardedTable> tables;
  private final String keyspace;
  private final int batchSize;
  private final Duration deleteGrace;
  private final RebalanceListener listener;
  private final ShardFence fence;
  private final RebalanceState state;
  private final DataSource control;
  private final String lockTable;
  private final Duration lockWait;
  private RebalanceStep step = RebalanceStep.PREPARE;

  private Rebalancer(Builder<K> builder) {
    DataSource control = builder.control;
    if (control == null) {
      throw new IllegalStateException("the rebalancer needs a control data source: control(...)");
    }
    if (builder.tables.isEmpty()) {
      throw new IllegalStateException("the rebalancer moves no table: add one with table(...)");
    }
    this.store = builder.store;
    this.keys = builder.keys;
    this.routers = builder.routers;
    this.dataSources = new ShardDataSources(builder.dataSources, "rebalancer");
    this.tables = List.copyOf(builder.tables);
    this.keyspace = builder.keyspace;
    this.batchSize = builder.batchSize;
    this.deleteGrace = builder.deleteGrace;
    this.listener = builder.listener;
    this.fence = new ShardFence(builder.tablePrefix, keyspace);
    this.state = new RebalanceState(control, builder.tablePrefix, keyspace);
    this.control = control;
    this.lockTable =
        ShardSql.identifier(builder.tablePrefix + "shard_rebalance_lock", "lock table");
    this.lockWait = builder.lockWait;
  }

  /**
   * Starts a rebalancer.
   *
   * @param store the keyspace's topology store, which the switch publishes to
   * @param keys how shard keys are stored in the tables' shard-key columns
   * @param routers builds the router of a topology, as the writers' watcher does
   * @param <K> the shard key type
   * @return a builder
   */
  public static <K> Builder<K> builder(
      TopologyStore store, ShardKeyColumn<K> keys, Function<Topology, ShardRouter<K>> routers) {
    return new Builder<>(store, keys, routers);
  }

  /**
   * Moves the keyspace to a new topology, or resumes the move to it, and returns when it is done.
   *
   * @param target the new topology, whose version is above the store's current one (or equal to it,
   *     for a move that switched already or is done)
   * @throws ShardingException if a step fails (the message names the step; run again to resume),
   *     the thread is interrupted (likewise), verification finds a difference, the store holds
   *     another topology at or above the target's version, or another move of the keyspace is
   *     unfinished
   */
  public void run(Topology target) {
    Objects.requireNonNull(target, "target");
    try {
      runChecked(target);
    } catch (SQLException e) {
      throw new ShardingException(
          "rebalance of '"
              + keyspace
              + "' to v"
              + target.version()
              + " failed at "
              + step
              + ": "
              + e.getMessage()
              + "; run it again to resume",
          e);
    }
  }

  private void runChecked(Topology target) throws SQLException {
    step = RebalanceStep.PREPARE;
    state.ensureSchema();
    RebalanceLock lock = RebalanceLock.acquire(control, lockTable, keyspace, lockWait);
    try {
      runLocked(target);
    } finally {
      lock.close();
    }
  }

  private void runLocked(Topology target) throws SQLException {
    long other = state.unfinishedOtherThan(target.version());
    if (other != 0) {
      throw new ShardingException(
          "cannot rebalance '"
              + keyspace
              + "' to v"
              + target.version()
              + ": the move to v"
              + other
              + " is unfinished; run it to the end first");
    }
    RebalanceState.Move move = state.find(target.version());
    if (move == null) {
      Topology current = store.current();
      if (current == null) {
        throw new ShardingException(
            "cannot rebalance '" + keyspace + "': the topology store holds no topology");
      }
      if (current.version() >= target.version()) {
        if (current.equals(target)) {
          log.info("Keyspace '{}' is at v{} already: nothing to move", keyspace, target.version());
          return;
        }
        throw new ShardingException(
            "cannot rebalance '"
                + keyspace
                + "' to v"
                + target.version()
                + ": the store is at v"
                + current.version()
                + " with another topology");
      }
      state.start(current, target);
      move = state.find(target.version());
      Objects.requireNonNull(move, "move");
    }
    if (!move.to().equals(target)) {
      throw new ShardingException(
          "cannot rebalance '"
              + keyspace
              + "' to "
              + target
              + ": the move to v"
              + target.version()
              + " under way has another topology, "
              + move.to());
    }
    if (move.step() == RebalanceStep.DONE) {
      log.info("The move of '{}' to v{} is done already", keyspace, target.version());
      return;
    }
    new Run(move.from(), move.to()).from(move.step());
  }

  /** One run of one move: the routers, the shards involved and the steps. */
  private final class Run {
    private final Topology from;
    private final Topology to;
    private final ShardRouter<K> oldRouter;
    private final ShardRouter<K> newRouter;
    private final List<String> sources;
    private final List<String> involved;
    private final List<TableMover<K>> movers;
    private final ProgressMeter meter;

    Run(Topology from, Topology to) {
      this.from = from;
      this.to = to;
      this.oldRouter = routers.apply(from);
      this.newRouter = routers.apply(to);
      this.sources = sources(from, to);
      Set<String> all = new LinkedHashSet<>();
      from.shards().forEach(shard -> all.add(shard.id()));
      to.shards().forEach(shard -> all.add(shard.id()));
      this.involved = List.copyOf(all);
      this.movers = tables.stream().map(table -> new TableMover<>(table, keys)).toList();
      this.meter = new ProgressMeter(keyspace, from.version(), to.version(), listener);
    }

    void from(RebalanceStep first) throws SQLException {
      for (TableMover<K> mover : movers) {
        for (String shard : involved) {
          mover.check(dataSource(shard), shard);
        }
      }
      for (step = first; step != RebalanceStep.DONE; step = step.next()) {
        checkInterrupted(step);
        switch (step) {
          case PREPARE -> prepare();
          case COPY -> scan(RebalanceStep.COPY);
          case CATCH_UP -> catchUp(false);
          case FENCE -> fence();
          case FINAL_CATCH_UP -> catchUp(true);
          case VERIFY -> verify();
          case SWITCH -> publish();
          case DELETE -> {
            pause(deleteGrace);
            scan(RebalanceStep.DELETE);
          }
          case RELEASE -> release();
          default -> throw new IllegalStateException(step.name());
        }
        state.step(to.version(), step.next());
      }
      meter.begin(RebalanceStep.DONE, 0, 0);
      log.info("Rebalance of '{}' v{} -> v{} is done", keyspace, from.version(), to.version());
    }

    private void prepare() throws SQLException {
      meter.begin(RebalanceStep.PREPARE, 0, -1);
      for (String shard : involved) {
        fence.ensure(dataSource(shard), shard);
      }
      for (String source : sources) {
        fence.startCapture(dataSource(source), to.version());
      }
    }

    /** Copies (COPY) or deletes (DELETE) the moving rows of each table of each source. */
    private void scan(RebalanceStep step) throws SQLException {
      for (TableMover<K> mover : movers) {
        for (String source : sources) {
          RebalanceState.Range range = state.range(to.version(), step, mover.name(), source);
          if (range.done()) {
            continue;
          }
          DataSource sourceDb = dataSource(source);
          meter.begin(step, range.rowsDone(), range.rowsDone() + mover.count(sourceDb));
          String cursor = range.cursor();
          long done = range.rowsDone();
          while (true) {
            checkInterrupted(step);
            List<TableMover.Row<K>> page = mover.page(sourceDb, cursor, batchSize);
            if (page.isEmpty()) {
              state.saveRange(
                  to.version(),
                  step,
                  mover.name(),
                  source,
                  new RebalanceState.Range(cursor, done, true));
              break;
            }
            Map<String, List<TableMover.Row<K>>> moving = moving(page, source);
            if (step == RebalanceStep.COPY) {
              for (Map.Entry<String, List<TableMover.Row<K>>> target : moving.entrySet()) {
                mover.upsert(dataSource(target.getKey()), target.getValue());
              }
            } else {
              List<TableMover.Row<K>> gone = new ArrayList<>();
              moving.values().forEach(gone::addAll);
              mover.delete(sourceDb, gone);
            }
            cursor = page.get(page.size() - 1).primaryKeyText();
            done += page.size();
            state.saveRange(
                to.version(),
                step,
                mover.name(),
                source,
                new RebalanceState.Range(cursor, done, false));
            meter.report(mover.name(), source, done);
          }
        }
      }
    }

    /** Rows of a source page that the new topology routes elsewhere, by new shard. */
    private Map<String, List<TableMover.Row<K>>> moving(
        List<TableMover.Row<K>> page, String source) {
      Map<String, List<TableMover.Row<K>>> byTarget = new LinkedHashMap<>();
      for (TableMover.Row<K> row : page) {
        String target = newRouter.route(row.shardKey());
        if (!target.equals(source)) {
          byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(row);
        }
      }
      return byTarget;
    }

    /**
     * Copies again the keys recorded on the sources. Before the fence, rounds go on while the
     * backlog shrinks and is above a batch per source: writers faster than the catch-up must not
     * keep it from ever ending (what is left is drained behind the fence). After the fence, until
     * nothing is left.
     */
    private void catchUp(boolean drain) throws SQLException {
      RebalanceStep step = drain ? RebalanceStep.FINAL_CATCH_UP : RebalanceStep.CATCH_UP;
      long pending = pending();
      meter.begin(step, 0, pending);
      long done = 0;
      while (pending > 0) {
        for (String source : sources) {
          checkInterrupted(step);
          DataSource sourceDb = dataSource(source);
          List<ShardFence.Change> changes = fence.changes(sourceDb, batchSize);
          copyAgain(source, changes);
          fence.forget(sourceDb, changes);
          done += changes.size();
          meter.report(null, source, done);
        }
        long left = pending();
        if (!drain && (left <= (long) batchSize * sources.size() || left >= pending)) {
          log.info(
              "Catch-up of '{}' to v{} leaves {} keys to the final catch-up ({} before the round)",
              keyspace,
              to.version(),
              left,
              pending);
          return;
        }
        pending = left;
      }
    }

    private long pending() throws SQLException {
      long pending = 0;
      for (String source : sources) {
        pending += fence.pending(dataSource(source));
      }
      return pending;
    }

    private void copyAgain(String source, List<ShardFence.Change> changes) throws SQLException {
      Map<String, Set<K>> byTarget = new LinkedHashMap<>();
      for (ShardFence.Change change : changes) {
        K key = keys.parse(change.key());
        String target = newRouter.route(key);
        if (!target.equals(source)) {
          byTarget.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(key);
        }
      }
      for (Map.Entry<String, Set<K>> target : byTarget.entrySet()) {
        for (TableMover<K> mover : movers) {
          mover.copyKeys(
              dataSource(source), dataSource(target.getKey()), List.copyOf(target.getValue()));
        }
      }
    }

    private void fence() throws SQLException {
      meter.begin(RebalanceStep.FENCE, 0, -1);
      for (String source : sources) {
        fence.raise(dataSource(source), to.version());
      }
    }

    /** Compares count and checksum of every moved set on its old and its new shard. */
    private void verify() throws SQLException {
      for (TableMover<K> mover : movers) {
        Map<String, long[]> atSource = new HashMap<>();
        Map<String, long[]> atTarget = new HashMap<>();
        long total = 0;
        for (String shard : involved) {
          total += mover.count(dataSource(shard));
        }
        meter.begin(RebalanceStep.VERIFY, 0, total);
        long done = 0;
        for (String shard : involved) {
          String cursor = null;
          DataSource db = dataSource(shard);
          while (true) {
            checkInterrupted(RebalanceStep.VERIFY);
            List<TableMover.Row<K>> page = mover.page(db, cursor, batchSize);
            if (page.isEmpty()) {
              break;
            }
            for (TableMover.Row<K> row : page) {
              String oldShard = oldRouter.route(row.shardKey());
              String newShard = newRouter.route(row.shardKey());
              if (oldShard.equals(newShard)) {
                continue;
              }
              if (shard.equals(oldShard)) {
                add(atSource, oldShard + " -> " + newShard, row);
              } else if (shard.equals(newShard)) {
                add(atTarget, oldShard + " -> " + newShard, row);
              }
            }
            cursor = page.get(page.size() - 1).primaryKeyText();
            done += page.size();
            meter.report(mover.name(), shard, done);
          }
        }
        Set<String> sets = new LinkedHashSet<>(atSource.keySet());
        sets.addAll(atTarget.keySet());
        for (String set : sets) {
          long[] expected = atSource.getOrDefault(set, new long[2]);
          long[] actual = atTarget.getOrDefault(set, new long[2]);
          if (expected[0] != actual[0] || expected[1] != actual[1]) {
            throw new ShardingException(
                "verification of the move of '"
                    + keyspace
                    + "' to v"
                    + to.version()
                    + " failed for table "
                    + mover.name()
                    + ", "
                    + set
                    + ": "
                    + expected[0]
                    + " rows (checksum "
                    + Long.toHexString(expected[1])
                    + ") on the old shard, "
                    + actual[0]
                    + " (checksum "
                    + Long.toHexString(actual[1])
                    + ") on the new one. The sources stay fenced; nothing was switched");
          }
          log.info(
              "Verified table {} of '{}', {}: {} rows, checksum {}",
              mover.name(),
              keyspace,
              set,
              expected[0],
              Long.toHexString(expected[1]));
        }
      }
    }

    private void add(Map<String, long[]> sums, String set, TableMover.Row<K> row) {
      long[] sum = sums.computeIfAbsent(set, s -> new long[2]);
      sum[0]++;
      sum[1] += TableMover.checksum(row);
    }

    private void publish() {
      meter.begin(RebalanceStep.SWITCH, 0, -1);
      Topology current = store.current();
      if (current != null && current.version() >= to.version()) {
        if (current.equals(to)) {
          return; // published by a run that was killed before recording it
        }
        throw new ShardingException(
            "cannot switch '"
                + keyspace
                + "' to v"
                + to.version()
                + ": the store holds another v"
                + current.version());
      }
      store.publish(to);
    }

    private void release() throws SQLException {
      meter.begin(RebalanceStep.RELEASE, 0, -1);
      for (String source : sources) {
        fence.stopCapture(dataSource(source));
      }
    }

    private void pause(Duration grace) {
      if (grace.isZero()) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(grace.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        checkInterrupted(RebalanceStep.DELETE);
      }
    }

    private DataSource dataSource(String shardId) {
      return dataSources.of(to.hasShard(shardId) ? to.shard(shardId) : from.shard(shardId));
    }

    private void checkInterrupted(RebalanceStep step) {
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new ShardingException(
            "rebalance of '"
                + keyspace
                + "' to v"
                + to.version()
                + " was interrupted at "
                + step
                + "; run it again to resume");
      }
    }
  }

  /** The shards some keys leave, as the planner lists them; every old shard if it cannot. */
  private static List<String> sources(Topology from, Topology to) {
    Set<String> sources = new LinkedHashSet<>();
    try {
      for (ShardMove move : ShardPlanner.plan(from, to).moves()) {
        String source = source(move);
        if (source != null) {
          sources.add(source);
        }
      }
      return List.copyOf(sources);
    } catch (ShardingException e) {
      log.info("Scanning every old shard: {}", e.getMessage());
      return from.shards().stream().map(Shard::id).toList();
    }
  }

  private static @Nullable String source(ShardMove move) {
    if (move instanceof ShardMove.Buckets buckets) {
      return buckets.from();
    } else if (move instanceof ShardMove.HashRange arc) {
      return arc.from();
    } else if (move instanceof ShardMove.Weighted weighted) {
      return weighted.from();
    } else if (move instanceof ShardMove.Range range) {
      return range.from();
    } else {
      return ((ShardMove.Entry) move).from();
    }
  }

  /**
   * Settings of a {@link Rebalancer}. Not thread-safe.
   *
   * @param <K> the shard key type
   */
  public static final class Builder<K> {
    private final TopologyStore store;
    private final ShardKeyColumn<K> keys;
    private final Function<Topology, ShardRouter<K>> routers;
    private final Map<String, DataSource> dataSources = new HashMap<>();
    private final List<ShardedTable> tables = new ArrayList<>();
    private @Nullable DataSource control;
    private String keyspace = "default";
    private String tablePrefix = "lintel_";
    private int batchSize = 1_000;
    private Duration deleteGrace = Duration.ofSeconds(5);
    private Duration lockWait = Duration.ofSeconds(5);
    private RebalanceListener listener = progress -> {};

    private Builder(
        TopologyStore store, ShardKeyColumn<K> keys, Function<Topology, ShardRouter<K>> routers) {
      this.store = Objects.requireNonNull(store, "store");
      this.keys = Objects.requireNonNull(keys, "keys");
      this.routers = Objects.requireNonNull(routers, "routers");
    }

    /**
     * Names the data source of a connection name that shards of the old or new topology use.
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
     * Sets the database that keeps the rebalancer's state (two small tables).
     *
     * @param control the data source
     * @return this builder
     */
    public Builder<K> control(DataSource control) {
      this.control = Objects.requireNonNull(control, "control");
      return this;
    }

    /**
     * Adds a table to move; tables are moved in the order added.
     *
     * @param table the table, present with the same columns on every shard
     * @return this builder
     */
    public Builder<K> table(ShardedTable table) {
      tables.add(Objects.requireNonNull(table, "table"));
      return this;
    }

    /**
     * Names the keyspace, as its writers do; {@code default} by default.
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
     * Prefixes the fence, change and state tables, as the writers do; {@code lintel_} by default.
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
     * Sets the rows per page and per transaction; 1,000 by default.
     *
     * @param rows at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder<K> batchSize(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, but was " + rows);
      }
      this.batchSize = rows;
      return this;
    }

    /**
     * Sets how long the old shards keep moved rows after the switch, for readers that still route
     * by the old topology (their watchers' poll interval, at least); 5 s by default.
     *
     * @param grace zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<K> deleteGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("deleteGrace must not be negative, but was " + grace);
      }
      this.deleteGrace = grace;
      return this;
    }

    /**
     * Sets how long a run waits for the keyspace's rebalance lock, which a run holds in a session
     * of the control database (released when the run ends or its connection drops); 5 s by default,
     * enough for the session of a killed run to end.
     *
     * @param wait zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<K> lockWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("lockWait must not be negative, but was " + wait);
      }
      this.lockWait = wait;
      return this;
    }

    /**
     * Sets who hears the progress.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder<K> listener(RebalanceListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the rebalancer.
     *
     * @return the rebalancer
     * @throws IllegalStateException if no control data source or no table was given
     */
    public Rebalancer<K> build() {
      return new Rebalancer<>(this);
    }
  }
}
