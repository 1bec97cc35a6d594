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
import dev.lintel.testing.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The secondary lookup on real shard databases: a value written with its owner in one transaction
 * is found through the global table and confirmed on exactly one shard; a rolled-back write, a
 * removed or changed value are not found; and lookups keep working after the rebalancer moved the
 * owners (and their local lookup rows) to a new shard. Subclasses give the databases.
 */
abstract class ShardLookupProof {
  private static final int ACCOUNTS = 200;

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
      HikariDataSource pool = ShardDatabases.pooled(databases.create(i), 4);
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
      ShardWriter.Builder<Long> writers = ShardWriter.builder(watcher, ShardKeyColumn.longs());
      ShardLookup.Builder<Long> lookups =
          ShardLookup.builder("emails", watcher, ShardKeyColumn.longs())
              .global(pools.get(0))
              .globalTable(globalTable)
              .localTable(localTable);
      for (int i = 0; i < 3; i++) {
        writers.dataSource("db" + i, pools.get(i));
        lookups.dataSource("db" + i, counted.get(i));
      }
      ShardWriter<Long> writer = writers.build();
      ShardLookup<Long> emails = lookups.build().createTables();
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
      assertThatThrownBy(
              () ->
                  writer.write(
                      7L,
                      connection -> {
                        emails.put(connection, "ghost@example.com", 7L);
                        throw new SQLException("the owner's write failed");
                      }))
          .isInstanceOf(ShardingException.class);
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
