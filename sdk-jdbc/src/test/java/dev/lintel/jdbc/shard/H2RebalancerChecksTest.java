package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.core.shard.InMemoryTopologyStore;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.RangeKeyType;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the rebalancer refuses or stops on, on H2: a difference found by verification, bad setup.
 */
class H2RebalancerChecksTest {
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final InMemoryTopologyStore store = InMemoryTopologyStore.create();
  private final Topology v1 = ShardDatabases.jump(1, 2);
  private final Topology v2 = ShardDatabases.jump(2, 3);

  @BeforeEach
  void createShards() throws SQLException {
    for (int i = 0; i < 3; i++) {
      HikariDataSource pool = ShardDatabases.pooled(ShardDatabases.h2(), 4);
      pools.add(pool);
      ShardDatabases.execute(
          pool, "CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
    }
    store.publish(v1);
    ShardRouter<Long> router = router(v1);
    for (long id = 0; id < 300; id++) {
      ShardDatabases.execute(
          pools.get(Integer.parseInt(router.route(id).substring(1))),
          "INSERT INTO accounts VALUES (" + id + ", " + id + ")");
    }
  }

  @AfterEach
  void close() {
    pools.forEach(HikariDataSource::close);
  }

  private static ShardRouter<Long> router(Topology topology) {
    return ShardRouters.create(topology, ShardKeyCodec.longs());
  }

  private Rebalancer.Builder<Long> rebalancer() {
    return Rebalancer.builder(store, ShardKeyColumn.longs(), H2RebalancerChecksTest::router)
        .control(pools.get(0))
        .dataSource("db0", pools.get(0))
        .dataSource("db1", pools.get(1))
        .dataSource("db2", pools.get(2))
        .table(ShardedTable.of("accounts", "id", ShardKeyColumn.longs()))
        .deleteGrace(Duration.ZERO);
  }

  @Test
  void aDifferenceFoundByVerificationStopsTheMoveBeforeTheSwitchAndTheSourcesStayFenced()
      throws SQLException {
    AtomicBoolean tampered = new AtomicBoolean();
    Rebalancer<Long> tampering =
        rebalancer()
            .listener(
                progress -> {
                  if (progress.step() == RebalanceStep.VERIFY
                      && tampered.compareAndSet(false, true)) {
                    try { // a row changed behind the rebalancer's back on the new shard
                      ShardDatabases.execute(
                          pools.get(2),
                          "UPDATE accounts SET balance = -1 WHERE id IN (SELECT MIN(id) FROM accounts)");
                    } catch (SQLException e) {
                      throw new IllegalStateException(e);
                    }
                  }
                })
            .build();

    assertThatThrownBy(() -> tampering.run(v2))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining(
            "verification of the move of 'default' to v2 failed for table accounts, s")
        .hasMessageContaining(" -> s2: ")
        .hasMessageContaining("nothing was switched");
    assertThat(store.current()).isEqualTo(v1);

    try (TopologyWatcher<Long> watcher =
        TopologyWatcher.start(store, H2RebalancerChecksTest::router, Duration.ofSeconds(10))) {
      ShardWriter<Long> writer =
          ShardWriter.builder(watcher, ShardKeyColumn.longs())
              .dataSource("db0", pools.get(0))
              .dataSource("db1", pools.get(1))
              .dataSource("db2", pools.get(2))
              .staleTimeout(Duration.ofMillis(200))
              .build();
      assertThatThrownBy(() -> writer.write(1L, connection -> 1))
          .isInstanceOf(ShardingException.class)
          .hasMessageContaining("refuses writes routed by topology v1");

      // A second run finds the same difference until it is repaired: the copy is re-done by hand
      // here.
      assertThatThrownBy(() -> rebalancer().build().run(v2)).hasMessageContaining("verification");
      ShardDatabases.execute(pools.get(2), "UPDATE accounts SET balance = id");
      rebalancer().build().run(v2);
      assertThat(store.current()).isEqualTo(v2);
      int written = writer.write(1L, connection -> 7);
      assertThat(written).isEqualTo(7);
    }
  }

  @Test
  void aSecondRunWhileTheFirstLastsIsRefusedAndTheLockEndsWithTheFirst() throws Exception {
    CountDownLatch copying = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    Rebalancer<Long> first =
        rebalancer()
            .listener(
                progress -> {
                  if (progress.step() == RebalanceStep.COPY && copying.getCount() > 0) {
                    copying.countDown();
                    try {
                      goOn.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                })
            .build();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread running =
        new Thread(
            () -> {
              try {
                first.run(v2);
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    running.start();
    assertThat(copying.await(30, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> rebalancer().lockWait(Duration.ofMillis(100)).build().run(v2))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("a rebalance of 'default' is running elsewhere");

    goOn.countDown();
    running.join(30_000);
    assertThat(failure.get()).isNull();
    assertThat(store.current()).isEqualTo(v2);
    rebalancer().lockWait(Duration.ofMillis(100)).build().run(v2); // the lock ended with the run
  }

  @Test
  void rangeSplitsAndRendezvousWeightChangesMoveEveryRowToItsShard() throws SQLException {
    // v1 -> v2 (jump 2 -> 3) first, then a range layout, then a weighted rendezvous one: keys move
    // between existing shards in every direction, not only to a new one.
    rebalancer().build().run(v2);
    List<Shard> three = v2.shards();
    Topology ranges =
        v2.next(
            three,
            ShardStrategy.range(
                RangeKeyType.LONG,
                ShardStrategy.KeyRange.of(null, 100L, "s2"),
                ShardStrategy.KeyRange.of(100L, 200L, "s0"),
                ShardStrategy.KeyRange.of(200L, null, "s1")));
    rebalancer().build().run(ranges); // jump -> range: the planner cannot list it, all scanned
    everyRowOnItsShard(ranges);
    Topology split =
        ranges.next(
            three,
            ShardStrategy.range(
                RangeKeyType.LONG,
                ShardStrategy.KeyRange.of(null, 50L, "s2"),
                ShardStrategy.KeyRange.of(50L, 150L, "s1"),
                ShardStrategy.KeyRange.of(150L, 250L, "s0"),
                ShardStrategy.KeyRange.of(250L, null, "s2")));
    rebalancer().build().run(split); // planned range moves between existing shards
    everyRowOnItsShard(split);
    Topology rendezvous = split.next(three, ShardStrategy.rendezvous("s0", "s1", "s2"));
    rebalancer().build().run(rendezvous);
    everyRowOnItsShard(rendezvous);
    Topology weighted =
        rendezvous.next(
            List.of(three.get(0).withWeight(3), three.get(1), three.get(2).withWeight(0.5)),
            ShardStrategy.rendezvous("s0", "s1", "s2"));
    rebalancer().build().run(weighted); // planned weighted moves in every direction
    everyRowOnItsShard(weighted);
  }

  private void everyRowOnItsShard(Topology topology) throws SQLException {
    ShardRouter<Long> router = router(topology);
    long rows = 0;
    for (int i = 0; i < 3; i++) {
      try (Connection connection = pools.get(i).getConnection();
          PreparedStatement select =
              connection.prepareStatement("SELECT id, balance FROM accounts");
          ResultSet row = select.executeQuery()) {
        while (row.next()) {
          assertThat(router.route(row.getLong(1))).isEqualTo("s" + i);
          assertThat(row.getLong(2)).isEqualTo(row.getLong(1));
          rows++;
        }
      }
    }
    assertThat(rows).isEqualTo(300);
  }

  @Test
  void badSetupIsNamed() {
    Rebalancer<Long> missingConnection =
        Rebalancer.builder(store, ShardKeyColumn.longs(), H2RebalancerChecksTest::router)
            .control(pools.get(0))
            .dataSource("db0", pools.get(0))
            .dataSource("db1", pools.get(1))
            .table(ShardedTable.of("accounts", "id", ShardKeyColumn.longs()))
            .build();
    assertThatThrownBy(() -> missingConnection.run(v2))
        .isInstanceOf(ShardingException.class)
        .hasMessageStartingWith(
            "shard 's2' uses connection 'db2', which the rebalancer has no data source for");
    assertThatThrownBy(
            () ->
                rebalancer()
                    .table(ShardedTable.of("orders", "id", ShardKeyColumn.longs()))
                    .build()
                    .run(v2))
        .isInstanceOf(ShardingException.class)
        .hasMessageStartingWith("table orders cannot be read on shard 's0'");
    Topology otherV1 = Topology.of(1, List.of(Shard.of("s0", "db0")), ShardStrategy.single("s0"));
    assertThatThrownBy(() -> rebalancer().build().run(otherV1))
        .isInstanceOf(ShardingException.class)
        .hasMessageContaining("the move to v2 is unfinished");
    assertThatThrownBy(
            () -> ShardedTable.of("accounts; DROP TABLE x", "id", ShardKeyColumn.longs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table name must be letters");
    assertThatThrownBy(() -> rebalancer().batchSize(0))
        .hasMessage("batchSize must be at least 1, but was 0");
  }
}
