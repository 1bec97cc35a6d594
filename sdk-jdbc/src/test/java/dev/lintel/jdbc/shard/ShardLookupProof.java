package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.shard.InMemoryTopologyStore;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The secondary lookup on real shard databases: a value written with its owner in one transaction
 * is found through the global table and confirmed on exactly one shard; a rolled-back write, a
 * removed or changed value are not found; and lookups keep working after the rebalancer moved the
 * owners (and their local lookup rows) to a new shard. A unique lookup refuses a value that another
 * key owns, takes over stale entries, and gives each value exactly one owner when many threads race
 * for it. Subclasses give the databases.
 */
abstract class ShardLookupProof {
  private static final int ACCOUNTS = 200;
  private static final int RACERS = 5;
  private static final int RACED_VALUES = 40;

  /** Per database: a racer holds its shard transaction, the global entry and a probe at most. */
  private static final int POOL = 2 * RACERS;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<CountingDataSource> counted = new ArrayList<>();
  private final InMemoryTopologyStore store = InMemoryTopologyStore.create();
  private final String globalTable = ShardDatabases.fresh("lookup_");
  private final String localTable = ShardDatabases.fresh("emails_");
  private final Topology v1 = ShardDatabases.jump(1, 2);
  private final Topology v2 = ShardDatabases.jump(2, 3);

  /** Where the shard databases come from. */
  abstract ShardDatabases.Source databases();

  private final ShardDatabases.Source databases = databases();

  @BeforeEach
  void createShards() throws SQLException {
    for (int i = 0; i < 3; i++) {
      HikariDataSource pool = ShardDatabases.pooled(databases.create(i), POOL);
      pools.add(pool);
      counted.add(new CountingDataSource(pool));
      ShardDatabases.execute(
          pool,
          "CREATE TABLE accounts (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL)");
    }
    store.publish(v1);
  }

  @AfterEach
  void close() throws SQLException {
    try {
      ShardDatabases.execute(pools.get(0), "DROP TABLE " + globalTable);
    } finally {
      pools.forEach(HikariDataSource::close);
      databases.dropAll();
    }
  }

  private static ShardRouter<Long> router(Topology topology) {
    return ShardRouters.create(topology, ShardKeyCodec.longs());
  }

  private static String email(long id) {
    return "user" + id + "@example.com";
  }

  @Test
  void aQueryByEmailHitsOneShardAndSurvivesARebalance() throws SQLException {
    try (TopologyWatcher<Long> watcher =
        TopologyWatcher.start(store, ShardLookupProof::router, Duration.ofSeconds(30))) {
      ShardWriter<Long> writer = writer(watcher);
      ShardLookup<Long> emails = lookup(watcher, counted).build().createTables();
      for (long id = 0; id < ACCOUNTS; id++) {
        long account = id;
        writer.write(
            account,
            connection -> {
              insertAccount(connection, account, email(account));
              emails.put(connection, email(account), account);
              return null;
            });
      }

      everyEmailIsFoundOnItsOwnersShardAlone(emails, router(v1));

      // Rolled back with its owner's write: the global entry is not confirmed, then dropped.
      putAndRollBack(writer, emails, 7L, "ghost@example.com");
      assertThat(globalEntries("ghost@example.com")).isEqualTo(1);
      assertThat(emails.find("ghost@example.com")).isEmpty();
      assertThat(globalEntries("ghost@example.com")).isZero();
      assertThat(emails.find("nobody@example.com")).isEmpty();

      // A changed email: the old one is gone, the new one found.
      writer.write(
          9L,
          connection -> {
            emails.remove(connection, email(9));
            emails.put(connection, "nine@example.com", 9L);
            return null;
          });
      assertThat(emails.find(email(9))).isEmpty();
      assertThat(emails.find("nine@example.com")).contains(9L);

      // Grow to three shards: the rebalancer moves accounts and their local lookup rows.
      emails.createLocalTable(pools.get(2));
      Rebalancer.Builder<Long> rebalancer =
          Rebalancer.builder(store, ShardKeyColumn.longs(), ShardLookupProof::router)
              .control(pools.get(0))
              .tablePrefix(ShardDatabases.fresh("t") + "_")
              .table(ShardedTable.of("accounts", "id", ShardKeyColumn.longs()))
              .table(emails.localTable())
              .deleteGrace(Duration.ZERO);
      for (int i = 0; i < 3; i++) {
        rebalancer.dataSource("db" + i, pools.get(i));
      }
      rebalancer.build().run(v2);
      assertThat(ShardDatabases.count(pools.get(2), "SELECT COUNT(*) FROM " + localTable))
          .isPositive();

      // The watcher has not polled yet: the first lookups of moved owners refresh it.
      assertThat(watcher.router().topology().version()).isEqualTo(1);
      everyEmailIsFoundOnItsOwnersShardAlone(emails, router(v2));
    }
  }

  @Test
  void aUniqueValueHasOneOwnerAndStaleEntriesAreTakenOver() throws SQLException {
    try (TopologyWatcher<Long> watcher =
        TopologyWatcher.start(store, ShardLookupProof::router, Duration.ofSeconds(30))) {
      ShardWriter<Long> writer = writer(watcher);
      ShardLookup<Long> emails = uniqueLookup(watcher);
      register(writer, emails, 1L, "taken@example.com");
      register(writer, emails, 1L, "taken@example.com"); // the owner may put it again

      for (long other : new long[] {2L, 3L, 4L}) { // on both shards
        assertThatThrownBy(() -> register(writer, emails, other, "taken@example.com"))
            .isInstanceOf(LookupValueTakenException.class)
            .hasMessage(
                "value 'taken@example.com' of unique lookup 'emails' is taken by key '1'"
                    + " (confirmed on its shard)");
        assertThat(accounts(other)).as("the refused owner's write rolled back").isZero();
      }

      // Refused inside a transaction that goes on: the put is undone, the rest commits.
      writer.write(
          5L,
          connection -> {
            insertAccount(connection, 5L, "five@example.com");
            assertThatThrownBy(() -> emails.put(connection, "taken@example.com", 5L))
                .isInstanceOf(LookupValueTakenException.class);
            emails.put(connection, "five@example.com", 5L);
            return null;
          });
      assertThat(emails.onShardOf("five@example.com", ShardLookupProof::accountEmail))
          .contains("five@example.com");
      assertThat(emails.find("taken@example.com")).contains(1L);
      assertThat(localRows("taken@example.com")).isEqualTo(1);

      // A claim whose transaction rolled back is stale: not found, kept, then taken over.
      putAndRollBack(writer, emails, 6L, "ghost@example.com");
      assertThat(emails.find("ghost@example.com")).isEmpty();
      assertThat(globalEntries("ghost@example.com")).isEqualTo(1);
      register(writer, emails, 7L, "ghost@example.com");
      assertThat(emails.find("ghost@example.com")).contains(7L);

      // A removed value is free for another key.
      writer.write(
          7L,
          connection -> {
            emails.remove(connection, "ghost@example.com");
            return null;
          });
      register(writer, emails, 8L, "ghost@example.com");
      assertThat(emails.find("ghost@example.com")).contains(8L);
      assertThat(localRows("ghost@example.com")).isEqualTo(1);

      assertThatThrownBy(
              () -> {
                try (Connection autoCommit = pools.get(0).getConnection()) {
                  emails.put(autoCommit, "x@example.com", 9L);
                }
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lookup 'emails' is unique");
    }
  }

  @Test
  void ofManyKeysRacingForAUniqueValueExactlyOneWins() throws Exception {
    try (TopologyWatcher<Long> watcher =
        TopologyWatcher.start(store, ShardLookupProof::router, Duration.ofSeconds(30))) {
      ShardWriter<Long> writer = writer(watcher);
      ShardLookup<Long> emails = uniqueLookup(watcher);
      // Half the values start with a stale entry (a rolled-back claim) that the racers take over.
      for (int v = 0; v < RACED_VALUES; v += 2) {
        putAndRollBack(writer, emails, 100_000L + v, raced(v));
      }
      Map<Integer, List<Long>> winners = new ConcurrentHashMap<>();
      AtomicInteger refused = new AtomicInteger();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      CyclicBarrier start = new CyclicBarrier(RACERS); // every value raced by all at once
      Concurrently.run(
          RACERS,
          racer -> {
            for (int v = 0; v < RACED_VALUES; v++) {
              long key = 1_000L + (long) v * RACERS + racer;
              start.await(30, TimeUnit.SECONDS);
              try {
                registerRetryingDeadlocks(writer, emails, key, raced(v));
                winners.computeIfAbsent(v, x -> new CopyOnWriteArrayList<>()).add(key);
              } catch (LookupValueTakenException e) {
                refused.incrementAndGet();
              } catch (RuntimeException e) {
                failures.add(e);
              }
            }
          });
      assertThat(failures).isEmpty();
      assertThat(refused.get()).isEqualTo(RACED_VALUES * (RACERS - 1));
      for (int v = 0; v < RACED_VALUES; v++) {
        assertThat(winners.get(v)).as("winners of %s", raced(v)).hasSize(1);
        long winner = winners.get(v).get(0);
        assertThat(emails.find(raced(v))).contains(winner);
        assertThat(accountsWithEmail(raced(v))).as("accounts with %s", raced(v)).isEqualTo(1);
        assertThat(localRows(raced(v))).as("local rows of %s", raced(v)).isEqualTo(1);
      }
    }
  }

  private ShardWriter<Long> writer(TopologyWatcher<Long> watcher) {
    ShardWriter.Builder<Long> writers = ShardWriter.builder(watcher, ShardKeyColumn.longs());
    for (int i = 0; i < 3; i++) {
      writers.dataSource("db" + i, pools.get(i));
    }
    return writers.build();
  }

  private ShardLookup<Long> uniqueLookup(TopologyWatcher<Long> watcher) {
    return lookup(watcher, pools).unique().build().createTables();
  }

  private ShardLookup.Builder<Long> lookup(
      TopologyWatcher<Long> watcher, List<? extends DataSource> shards) {
    ShardLookup.Builder<Long> lookups =
        ShardLookup.builder("emails", watcher, ShardKeyColumn.longs())
            .global(pools.get(0))
            .globalTable(globalTable)
            .localTable(localTable);
    for (int i = 0; i < 3; i++) {
      lookups.dataSource("db" + i, shards.get(i));
    }
    return lookups;
  }

  /** A put whose owner's write then fails: its transaction rolls back, its global entry stays. */
  private static void putAndRollBack(
      ShardWriter<Long> writer, ShardLookup<Long> emails, long id, String email) {
    assertThatThrownBy(
            () ->
                writer.write(
                    id,
                    connection -> {
                      emails.put(connection, email, id);
                      throw new SQLException("the owner's write failed");
                    }))
        .isInstanceOf(ShardingException.class);
  }

  private static void register(
      ShardWriter<Long> writer, ShardLookup<Long> emails, long id, String email) {
    writer.write(
        id,
        connection -> {
          insertAccountIfMissing(connection, id, email);
          emails.put(connection, email, id);
          return null;
        });
  }

  /**
   * Registers, starting again when the database chose the write as a deadlock victim (InnoDB does,
   * when inserts of one key queue behind a transaction that then rolls it back): its transaction
   * rolled back whole, as a caller that retries would see it.
   */
  private static void registerRetryingDeadlocks(
      ShardWriter<Long> writer, ShardLookup<Long> emails, long id, String email) {
    for (int attempt = 1; ; attempt++) {
      try {
        register(writer, emails, id, email);
        return;
      } catch (ShardingException e) {
        if (attempt == 20
            || !(e.getCause() instanceof SQLException cause)
            || !"40001".equals(cause.getSQLState())) {
          throw e;
        }
      }
    }
  }

  private static String raced(int v) {
    return "raced" + v + "@example.com";
  }

  private long accounts(long id) throws SQLException {
    return sumOverShards("SELECT COUNT(*) FROM accounts WHERE id = " + id);
  }

  private long accountsWithEmail(String email) throws SQLException {
    return sumOverShards("SELECT COUNT(*) FROM accounts WHERE email = '" + email + "'");
  }

  private long localRows(String value) throws SQLException {
    return sumOverShards(
        "SELECT COUNT(*) FROM " + localTable + " WHERE lookup_value = '" + value + "'");
  }

  private long sumOverShards(String sql) throws SQLException {
    long sum = 0;
    for (int i = 0; i < 2; i++) {
      sum += ShardDatabases.count(pools.get(i), sql);
    }
    return sum;
  }

  private static void insertAccountIfMissing(Connection connection, long id, String email)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT COUNT(*) FROM accounts WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        if (row.getLong(1) > 0) {
          return;
        }
      }
    }
    insertAccount(connection, id, email);
  }

  private void everyEmailIsFoundOnItsOwnersShardAlone(
      ShardLookup<Long> emails, ShardRouter<Long> router) {
    for (long id = 0; id < ACCOUNTS; id++) {
      if (id == 9) {
        continue;
      }
      int[] before = counted.stream().mapToInt(c -> c.connections.get()).toArray();
      long account = id;
      Optional<String> found =
          emails.onShardOf(email(id), (connection, key) -> accountEmail(connection, key));
      assertThat(found).as("account %d", id).contains(email(id));
      int shard = Integer.parseInt(router.route(account).substring(1));
      for (int i = 0; i < counted.size(); i++) {
        int used = counted.get(i).connections.get() - before[i];
        if (i == shard) {
          assertThat(used).as("connections to the owner s%d of %d", i, id).isBetween(1, 2);
        } else if (used > 0) {
          // only a lookup that found its owner moved asks the old shard first
          assertThat(router.route(account)).isNotEqualTo(router(v1).route(account));
          assertThat(used).isEqualTo(1);
        }
      }
    }
  }

  private long globalEntries(String value) throws SQLException {
    return ShardDatabases.count(
        pools.get(0),
        "SELECT COUNT(*) FROM " + globalTable + " WHERE lookup_value = '" + value + "'");
  }

  private static void insertAccount(Connection connection, long id, String email)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO accounts (id, email) VALUES (?, ?)")) {
      insert.setLong(1, id);
      insert.setString(2, email);
      insert.executeUpdate();
    }
  }

  private static String accountEmail(Connection connection, long id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT email FROM accounts WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  /** Counts the connections borrowed, to show which shards a lookup touched. */
  static final class CountingDataSource extends DelegatingDataSource {
    final AtomicInteger connections = new AtomicInteger();

    CountingDataSource(DataSource delegate) {
      super(delegate);
    }

    @Override
    public Connection getConnection() throws SQLException {
      connections.incrementAndGet();
      return super.getConnection();
    }
  }
}
