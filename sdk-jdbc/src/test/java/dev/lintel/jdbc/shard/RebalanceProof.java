package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.testing.DelegatingDataSource;
import dev.lintel.testing.JdbcServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalancer on four real shard databases: grows 3 -> 4 shards, then shrinks 4 -> 3, while 8
 * writer threads insert, update and delete accounts (each with a row in a lookup table) through a
 * {@link ShardWriter}, and while the rebalancer is killed at every step (its thread interrupted, or
 * its connections aborted mid-statement) and started again. At the end every row exists exactly
 * once, on the shard the final topology names, and equals the last acknowledged write; a second run
 * changes nothing. Subclasses give the databases.
 */
abstract class RebalanceProof {
  private static final Logger log = LoggerFactory.getLogger(RebalanceProof.class);
  private static final int SHARDS = 4;
  private static final int WRITERS = 8;
  private static final long ACCOUNTS = 3_000;
  private static final String KEYSPACE = "accounts";

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<KillableDataSource> rebalancerSources = new ArrayList<>();
  private final String prefix = ShardDatabases.fresh("t") + "_";
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
  private JdbcTopologyStore store;

  /** Where the shard databases come from. */
  abstract ShardDatabases.Source databases();

  private final ShardDatabases.Source databases = databases();

  @BeforeEach
  void createShards() throws SQLException {
    for (int i = 0; i < SHARDS; i++) {
      JdbcServer server = databases.create(i);
      HikariDataSource pool = ShardDatabases.pooled(server, WRITERS + 2);
      pools.add(pool);
      rebalancerSources.add(new KillableDataSource(server.dataSource(), killer));
      ShardDatabases.execute(
          pool,
          "CREATE TABLE accounts (id BIGINT NOT NULL PRIMARY KEY, balance BIGINT NOT NULL, note"
              + " VARCHAR(64) NOT NULL)",
          "CREATE TABLE account_emails (email VARCHAR(100) NOT NULL PRIMARY KEY, account_id BIGINT"
              + " NOT NULL)",
          "CREATE INDEX account_emails_owner ON account_emails (account_id)");
    }
    store =
        JdbcTopologyStore.builder(pools.get(0))
            .table(prefix + "topology")
            .keyspace(KEYSPACE)
            .build()
            .createSchema();
  }

  @AfterEach
  void close() throws SQLException {
    killer.shutdownNow();
    pools.forEach(HikariDataSource::close);
    databases.dropAll();
  }

  private static ShardRouter<Long> router(Topology topology) {
    return ShardRouters.create(topology, ShardKeyCodec.longs());
  }

  @Test
  void growThenShrinkUnderEightWritersWithTheRebalancerKilledAtEveryStep() throws Exception {
    Topology v1 = ShardDatabases.jump(1, 3);
    Topology v2 = ShardDatabases.jump(2, 4);
    Topology v3 = ShardDatabases.jump(3, 3);
    store.publish(v1);
    seed(router(v1));

    try (TopologyWatcher<Long> watcher =
        TopologyWatcher.start(store, RebalanceProof::router, Duration.ofMillis(50))) {
      ShardWriter.Builder<Long> builder =
          ShardWriter.builder(watcher, ShardKeyColumn.longs())
              .keyspace(KEYSPACE)
              .tablePrefix(prefix)
              .staleTimeout(Duration.ofSeconds(60));
      for (int i = 0; i < SHARDS; i++) {
        builder.dataSource("db" + i, pools.get(i));
      }
      ShardWriter<Long> writer = builder.build();
      Writers writers = new Writers(writer);
      writers.start();
      try {
        Thread.sleep(200);
        long before = writers.acknowledged.get();
        int grownKills = moveWithKills(v2, 11);
        long duringGrow = writers.acknowledged.get() - before;
        assertThat(watcher.refresh().topology()).isEqualTo(v2);
        Thread.sleep(200);
        before = writers.acknowledged.get();
        int shrunkKills = moveWithKills(v3, 23);
        long duringShrink = writers.acknowledged.get() - before;
        Thread.sleep(200);
        log.info(
            "Grow: {} kills, {} writes acknowledged meanwhile; shrink: {} kills, {} writes",
            grownKills,
            duringGrow,
            shrunkKills,
            duringShrink);
        assertThat(grownKills).isGreaterThanOrEqualTo(8);
        assertThat(shrunkKills).isGreaterThanOrEqualTo(8);
        assertThat(duringGrow).isPositive();
        assertThat(duringShrink).isPositive();
      } finally {
        writers.stop();
      }
      assertThat(writers.failures).isEmpty();

      checkEveryRowOnceOnItsShardWithItsLastWrite(router(v3), writers.expected());
      rebalancer(progress -> {}).run(v3); // a second run does no harm
      rebalancer(progress -> {}).run(v2); // nor does one of an older, finished move
      checkEveryRowOnceOnItsShardWithItsLastWrite(router(v3), writers.expected());
      assertThat(store.current()).isEqualTo(v3);
      aSecondHolderOfTheRebalanceLockIsRefusedUntilTheFirstSessionEnds();
      for (HikariDataSource pool : pools) {
        assertThat(ShardDatabases.count(pool, "SELECT COUNT(*) FROM " + prefix + "shard_changes"))
            .isZero();
        assertThat(
                ShardDatabases.count(
                    pool,
                    "SELECT COUNT(*) FROM " + prefix + "shard_fence WHERE capture_for IS NOT NULL"))
            .isZero();
      }
    }
  }

  private void aSecondHolderOfTheRebalanceLockIsRefusedUntilTheFirstSessionEnds()
      throws SQLException {
    String table = prefix + "shard_rebalance_lock";
    RebalanceLock first = RebalanceLock.acquire(pools.get(0), table, KEYSPACE, Duration.ZERO);
    try {
      assertThatThrownBy(
              () -> RebalanceLock.acquire(pools.get(0), table, KEYSPACE, Duration.ofMillis(100)))
          .isInstanceOf(ShardingException.class)
          .hasMessageContaining("is running elsewhere");
      RebalanceLock.acquire(pools.get(0), table, "another-keyspace", Duration.ZERO).close();
    } finally {
      first.close();
    }
    RebalanceLock.acquire(pools.get(0), table, KEYSPACE, Duration.ofSeconds(5)).close();
  }

  /**
   * Runs the move to the target, killing the rebalancer once at each step (at a random batch of the
   * scanning steps), by interrupting its thread or by aborting its connections, and starting it
   * again after each kill, until a run completes.
   */
  private int moveWithKills(Topology target, long seed) throws InterruptedException {
    Random random = new Random(seed);
    List<RebalanceStep> plan =
        new ArrayList<>(EnumSet.range(RebalanceStep.PREPARE, RebalanceStep.RELEASE));
    plan.add(2, RebalanceStep.COPY); // twice in the copy
    List<RebalanceProgress> seen = new CopyOnWriteArrayList<>();
    int kills = 0;
    for (int attempt = 1; ; attempt++) {
      assertThat(attempt).as("attempts").isLessThan(40);
      boolean interrupt = random.nextBoolean();
      int batchesBefore = random.nextInt(3);
      AtomicInteger reports = new AtomicInteger();
      AtomicReference<RebalanceStep> killedAt = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread run =
          new Thread(
              () -> {
                try {
                  rebalancer(
                          progress -> {
                            seen.add(progress);
                            if (killedAt.get() != null) {
                              return;
                            }
                            while (!plan.isEmpty() && progress.step().compareTo(plan.get(0)) > 0) {
                              plan.remove(0); // done before this run: kill at the next step
                            }
                            if (!plan.isEmpty()
                                && progress.step() == plan.get(0)
                                && (reports.getAndIncrement() >= batchesBefore
                                    || progress.rowsTotal() < 0)) {
                              killedAt.set(plan.remove(0));
                              log.info(
                                  "Killing the rebalancer at {} ({} rows) by {}",
                                  progress.step(),
                                  progress.rowsDone(),
                                  interrupt ? "interrupt" : "aborting its connections");
                              if (interrupt) {
                                Thread.currentThread().interrupt();
                              } else {
                                rebalancerSources.forEach(KillableDataSource::startKilling);
                              }
                            }
                          })
                      .run(target);
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              "rebalancer-" + attempt);
      run.start();
      run.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(run.isAlive()).as("the rebalancer ended").isFalse();
      rebalancerSources.forEach(KillableDataSource::stopKilling);
      if (failure.get() == null) {
        log.info("Move to v{} done after {} kills", target.version(), kills);
        assertThat(seen).extracting(RebalanceProgress::step).contains(RebalanceStep.DONE);
        assertThat(seen)
            // every report of rows copied in this run has a rate; the report that opens a resumed
            // step (no table yet) carries the rows of earlier runs and, truthfully, no rate yet
            .filteredOn(
                p -> p.step() == RebalanceStep.COPY && p.rowsDone() > 0 && p.table() != null)
            .allSatisfy(p -> assertThat(p.rowsPerSecond()).isPositive());
        return kills;
      }
      if (killedAt.get() == null) {
        fail("the rebalancer failed without being killed", failure.get());
      }
      log.info(
          "Killed the rebalancer at {} by {}: {}",
          killedAt.get(),
          interrupt ? "interrupt" : "aborted connections",
          failure.get().toString());
      kills++;
    }
  }

  private Rebalancer<Long> rebalancer(RebalanceListener listener) {
    Rebalancer.Builder<Long> builder =
        Rebalancer.builder(
                store(rebalancerSources.get(0)), ShardKeyColumn.longs(), RebalanceProof::router)
            .keyspace(KEYSPACE)
            .tablePrefix(prefix)
            .control(rebalancerSources.get(0))
            .table(ShardedTable.of("accounts", "id", ShardKeyColumn.longs()))
            .table(
                ShardedTable.of("account_emails", "email", ShardKeyColumn.strings(), "account_id"))
            .batchSize(250)
            .deleteGrace(Duration.ofMillis(100))
            .listener(listener);
    for (int i = 0; i < SHARDS; i++) {
      builder.dataSource("db" + i, rebalancerSources.get(i));
    }
    return builder.build();
  }

  private JdbcTopologyStore store(DataSource dataSource) {
    return JdbcTopologyStore.builder(dataSource)
        .table(prefix + "topology")
        .keyspace(KEYSPACE)
        .build();
  }

  private void seed(ShardRouter<Long> router) throws SQLException {
    Map<String, List<Long>> byShard = new HashMap<>();
    for (long id = 0; id < ACCOUNTS; id++) {
      byShard.computeIfAbsent(router.route(id), s -> new ArrayList<>()).add(id);
    }
    for (Map.Entry<String, List<Long>> shard : byShard.entrySet()) {
      DataSource pool = pools.get(Integer.parseInt(shard.getKey().substring(1)));
      Tx.run(
          pool,
          connection -> {
            try (PreparedStatement account =
                    connection.prepareStatement(
                        "INSERT INTO accounts (id, balance, note) VALUES (?, ?, ?)");
                PreparedStatement email =
                    connection.prepareStatement(
                        "INSERT INTO account_emails (email, account_id) VALUES (?, ?)")) {
              for (long id : shard.getValue()) {
                account.setLong(1, id);
                account.setLong(2, id * 10);
                account.setString(3, "seed");
                account.addBatch();
                email.setString(1, email(id, "seed"));
                email.setLong(2, id);
                email.addBatch();
              }
              account.executeBatch();
              email.executeBatch();
            }
            return null;
          });
    }
  }

  private static String email(long id, String note) {
    return "u" + id + "." + note + "@example.com";
  }

  /** The last acknowledged state of an account: its balance and note, or deleted. */
  record Account(long balance, String note) {}

  /** Eight threads writing through the writer, each owning the ids equal to it modulo 8. */
  private final class Writers {
    private final ShardWriter<Long> writer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong acknowledged = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final List<Map<Long, Account>> lastWrites = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    Writers(ShardWriter<Long> writer) {
      this.writer = writer;
      for (int t = 0; t < WRITERS; t++) {
        Map<Long, Account> mine = new HashMap<>();
        for (long id = t; id < ACCOUNTS; id += WRITERS) {
          mine.put(id, new Account(id * 10, "seed"));
        }
        lastWrites.add(mine);
        int thread = t;
        threads.add(new Thread(() -> write(thread, mine), "writer-" + t));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join();
      }
    }

    Map<Long, Account> expected() {
      Map<Long, Account> all = new HashMap<>();
      lastWrites.forEach(all::putAll);
      all.values().removeIf(account -> account == null);
      return all;
    }

    private void write(int thread, Map<Long, Account> mine) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long sequence = 0;
      try {
        while (running.get()) {
          long id = thread + WRITERS * random.nextLong(ACCOUNTS * 5 / 4 / WRITERS);
          String note = "w" + thread + "-" + ++sequence;
          boolean delete = random.nextInt(10) == 0;
          long balance = random.nextLong(1_000_000);
          try {
            if (delete) {
              writer.write(id, connection -> delete(connection, id));
            } else {
              writer.write(id, connection -> upsert(connection, id, balance, note));
            }
          } catch (ShardingException e) {
            if (e.getCause() instanceof SQLException cause
                && cause.getSQLState() != null
                && cause.getSQLState().startsWith("40")) {
              continue; // a deadlock between writers rolled it back: not acknowledged
            }
            throw e;
          }
          mine.put(id, delete ? null : new Account(balance, note));
          acknowledged.incrementAndGet();
        }
      } catch (Throwable e) {
        failures.add(e);
        log.error("Writer {} failed", thread, e);
      }
    }

    private Void upsert(Connection connection, long id, long balance, String note)
        throws SQLException {
      try (PreparedStatement account =
              connection.prepareStatement(
                  ShardSql.of(connection)
                      .upsert("accounts", List.of("id"), List.of("id", "balance", "note")));
          PreparedStatement emails =
              connection.prepareStatement("DELETE FROM account_emails WHERE account_id = ?");
          PreparedStatement email =
              connection.prepareStatement(
                  "INSERT INTO account_emails (email, account_id) VALUES (?, ?)")) {
        account.setLong(1, id);
        account.setLong(2, balance);
        account.setString(3, note);
        account.executeUpdate();
        emails.setLong(1, id);
        emails.executeUpdate();
        email.setString(1, email(id, note));
        email.setLong(2, id);
        email.executeUpdate();
      }
      return null;
    }

    private Void delete(Connection connection, long id) throws SQLException {
      try (PreparedStatement account =
              connection.prepareStatement("DELETE FROM accounts WHERE id = ?");
          PreparedStatement emails =
              connection.prepareStatement("DELETE FROM account_emails WHERE account_id = ?")) {
        account.setLong(1, id);
        account.executeUpdate();
        emails.setLong(1, id);
        emails.executeUpdate();
      }
      return null;
    }
  }

  private void checkEveryRowOnceOnItsShardWithItsLastWrite(
      ShardRouter<Long> router, Map<Long, Account> expected) throws SQLException {
    Map<Long, Account> accounts = new HashMap<>();
    Map<String, Long> emails = new HashMap<>();
    for (int i = 0; i < SHARDS; i++) {
      String shard = "s" + i;
      try (Connection connection = pools.get(i).getConnection()) {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT id, balance, note FROM accounts");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            long id = rows.getLong(1);
            assertThat(router.route(id)).as("shard of account %d", id).isEqualTo(shard);
            Account previous = accounts.put(id, new Account(rows.getLong(2), rows.getString(3)));
            assertThat(previous).as("account %d found twice", id).isNull();
          }
        }
        try (PreparedStatement select =
                connection.prepareStatement("SELECT email, account_id FROM account_emails");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            long owner = rows.getLong(2);
            assertThat(router.route(owner)).as("shard of %s", rows.getString(1)).isEqualTo(shard);
            assertThat(emails.put(rows.getString(1), owner)).as(rows.getString(1)).isNull();
          }
        }
      }
    }
    assertThat(accounts).isEqualTo(expected);
    Map<String, Long> expectedEmails = new HashMap<>();
    expected.forEach((id, account) -> expectedEmails.put(email(id, account.note()), id));
    assertThat(emails).isEqualTo(expectedEmails);
  }

  /**
   * The rebalancer's view of a database: while killing, every connection it hands out is aborted
   * within a few milliseconds, whatever statement or transaction it is in.
   */
  static final class KillableDataSource extends DelegatingDataSource {
    private final ScheduledExecutorService killer;
    private final Set<Connection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean killing;

    KillableDataSource(DataSource delegate, ScheduledExecutorService killer) {
      super(delegate);
      this.killer = killer;
    }

    void startKilling() {
      killing = true;
      open.forEach(this::abort);
    }

    void stopKilling() {
      killing = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection connection = super.getConnection();
      if (killing) {
        int delay = ThreadLocalRandom.current().nextInt(-2, 3);
        if (delay <= 0) {
          abort(connection); // dropped before its first statement
        } else {
          killer.schedule(() -> abort(connection), delay, TimeUnit.MILLISECONDS); // or during one
        }
      }
      return tracked(connection);
    }

    private Connection tracked(Connection connection) {
      open.add(connection);
      return (Connection)
          java.lang.reflect.Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                  open.remove(connection);
                }
                try {
                  return method.invoke(connection, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    private void abort(Connection connection) {
      try {
        connection.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        log.debug("abort failed", e);
      }
      try {
        if (!connection.isClosed()) {
          connection.close(); // H2 has no abort
        }
      } catch (SQLException | RuntimeException e) {
        log.debug("close failed", e);
      }
    }
  }
}
