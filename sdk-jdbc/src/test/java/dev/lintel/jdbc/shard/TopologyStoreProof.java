package dev.lintel.jdbc.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.Registration;
import dev.lintel.core.shard.CachedShardDirectory;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.JdbcServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC topology store and directory on one database: compare-and-set publication under racing
 * nodes, watchers that follow it, and a directory behind the L1 cache. Subclasses give the
 * database.
 */
abstract class TopologyStoreProof {
  private final String topologyTable = ShardDatabases.fresh("topo_");
  private final String directoryTable = ShardDatabases.fresh("dir_");

  private HikariDataSource pool;

  /** The database, shared by the "nodes" of a test. */
  abstract JdbcServer server();

  /** Whether the database announces publications (PostgreSQL's NOTIFY). */
  boolean pushes() {
    return false;
  }

  private DataSource dataSource() {
    return pool;
  }

  @BeforeEach
  void createTables() {
    pool = ShardDatabases.pooled(server(), 10);
    store("orders").createSchema();
    directory("tenants").createSchema();
  }

  @AfterEach
  void dropTables() throws SQLException {
    try {
      ShardDatabases.execute(pool, "DROP TABLE " + topologyTable, "DROP TABLE " + directoryTable);
    } finally {
      pool.close();
    }
  }

  private JdbcTopologyStore store(String keyspace) {
    return JdbcTopologyStore.builder(dataSource()).table(topologyTable).keyspace(keyspace).build();
  }

  private JdbcShardDirectory directory(String name) {
    return JdbcShardDirectory.builder(dataSource()).table(directoryTable).directory(name).build();
  }

  static Topology jump(long version, String... shards) {
    return Topology.of(
        version, List.of(shards).stream().map(Shard::of).toList(), ShardStrategy.jump(shards));
  }

  @Test
  void versionsOnlyGrowAndKeyspacesAreIndependent() {
    JdbcTopologyStore orders = store("orders");
    JdbcTopologyStore users = store("users");
    assertThat(orders.current()).isNull();
    assertThat(orders.currentVersion()).isZero();

    orders.publish(jump(1, "a"));
    orders.publish(jump(2, "a", "b"));
    users.publish(jump(7, "x"));

    assertThat(orders.current()).isEqualTo(jump(2, "a", "b"));
    assertThat(store("orders").currentVersion()).isEqualTo(2);
    assertThat(users.current()).isEqualTo(jump(7, "x"));
    assertThatThrownBy(() -> orders.publish(jump(2, "c")))
        .isInstanceOf(ShardingException.class)
        .hasMessage(
            "cannot publish topology v2 of keyspace 'orders': v2 is current and versions only"
                + " grow");
    assertThatThrownBy(() -> orders.publish(jump(1, "c"))).hasMessageContaining("v2 is current");
    assertThat(orders.current()).isEqualTo(jump(2, "a", "b"));
  }

  @Test
  void ofEightNodesPublishingTheSameVersionExactlyOneWins() throws Exception {
    store("orders").publish(jump(1, "a"));
    for (int round = 2; round <= 4; round++) {
      long version = round;
      AtomicInteger won = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      String[] winner = new String[1];
      Concurrently.run(
          8,
          node -> {
            JdbcTopologyStore mine = store("orders");
            try {
              mine.publish(jump(version, "node" + node));
              won.incrementAndGet();
              winner[0] = "node" + node;
            } catch (ShardingException e) {
              assertThat(e).hasMessageContaining("v" + version + " is current");
              refused.incrementAndGet();
            }
          });
      assertThat(won).as("round %d", round).hasValue(1);
      assertThat(refused).hasValue(7);
      assertThat(store("orders").current()).isEqualTo(jump(version, winner[0]));
    }
  }

  @Test
  void ofNodesPublishingTheFirstVersionExactlyOneWins() throws Exception {
    AtomicInteger won = new AtomicInteger();
    Concurrently.run(
        8,
        node -> {
          try {
            store("orders").publish(jump(1, "node" + node));
            won.incrementAndGet();
          } catch (ShardingException e) {
            assertThat(e).hasMessageContaining("v1 is current");
          }
        });
    assertThat(won).hasValue(1);
  }

  @Test
  void everyWatchingNodeSwitchesToThePublishedVersion() {
    JdbcTopologyStore store = store("orders");
    store.publish(jump(1, "a", "b"));
    List<TopologyWatcher<String>> nodes =
        List.of(watcher(store), watcher(store("orders")), watcher(store("orders")));
    try {
      List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      nodes.get(0).onChange(router -> seen.add(router.topology().version()));
      store.publish(jump(2, "a", "b", "c"));
      store.publish(jump(3, "a", "b", "c", "d"));
      for (TopologyWatcher<String> node : nodes) {
        Eventually.awaitTrue(
            () -> node.router().topology().version() == 3, "every node on v3 by polling");
        assertThat(node.router().route("k-1"))
            .isEqualTo(
                ShardRouters.create(jump(3, "a", "b", "c", "d"), ShardKeyCodec.strings())
                    .route("k-1"));
      }
      assertThat(seen).isSorted().endsWith(3L).doesNotHaveDuplicates();
      store.publish(jump(4, "a"));
      assertThat(nodes.get(1).refresh().topology().version()).isEqualTo(4);
    } finally {
      nodes.forEach(TopologyWatcher::close);
    }
  }

  @Test
  void wherePublicationsArePushedWatchersSwitchWithoutWaitingForTheirPoll() {
    JdbcTopologyStore store = store("orders");
    store.publish(jump(1, "a"));
    List<TopologyWatcher<String>> nodes = new ArrayList<>();
    List<Registration> listening = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        JdbcTopologyStore mine = store("orders");
        TopologyWatcher<String> node =
            TopologyWatcher.start(
                mine, t -> ShardRouters.create(t, ShardKeyCodec.strings()), Duration.ofMinutes(1));
        nodes.add(node);
        listening.add(mine.onPublish(node::refresh));
      }
      store("other-keyspace").publish(jump(5, "x")); // not this keyspace's: ignored
      store.publish(jump(2, "a", "b"));
      for (TopologyWatcher<String> node : nodes) {
        if (pushes()) {
          Eventually.awaitTrue(
              () -> node.router().topology().version() == 2, "every node on v2 by NOTIFY");
        } else {
          assertThat(node.refresh().topology().version()).isEqualTo(2);
        }
      }
    } finally {
      listening.forEach(Registration::close);
      nodes.forEach(TopologyWatcher::close);
    }
  }

  private static TopologyWatcher<String> watcher(JdbcTopologyStore store) {
    return TopologyWatcher.start(
        store, t -> ShardRouters.create(t, ShardKeyCodec.strings()), Duration.ofMillis(20));
  }

  @Test
  void aDirectoryRoutesThroughTheTableAndItsCacheSeesLocalChanges() {
    JdbcShardDirectory table = directory("tenants");
    assertThat(table.shardOf("acme")).isNull();
    table.assign("acme", "b");
    table.assign("globex", "a");
    table.assign("acme", "c"); // replaces
    assertThat(directory("tenants").shardOf("acme")).isEqualTo("c");
    assertThat(directory("other").shardOf("acme")).isNull();
    assertThat(table.entries()).isEqualTo(Map.of("acme", "c", "globex", "a"));

    try (CachedShardDirectory cached = CachedShardDirectory.builder(table).build()) {
      Topology topology =
          Topology.of(
              1,
              List.of(Shard.of("a"), Shard.of("b"), Shard.of("c")),
              ShardStrategy.directory("tenants", ShardStrategy.jump("a", "b")));
      ShardRouter<String> router =
          ShardRouters.builder(topology, ShardKeyCodec.strings())
              .directory("tenants", cached)
              .build();
      assertThat(router.route("acme")).isEqualTo("c");
      table.assign("acme", "a"); // the cache hears it and drops its copy
      assertThat(router.route("acme")).isEqualTo("a");
      table.remove("acme");
      assertThat(router.route("acme")).isIn("a", "b"); // the fallback
      assertThat(table.entries()).containsOnlyKeys("globex");
    }
    assertThatThrownBy(() -> table.assign("", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("directory 'tenants'");
  }
}
