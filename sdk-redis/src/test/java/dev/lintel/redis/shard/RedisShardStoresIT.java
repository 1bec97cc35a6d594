package dev.lintel.redis.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.shard.CachedShardDirectory;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.ShardingException;
import dev.lintel.shard.Topology;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis topology store and directory on the real Redis, shared by several "nodes": two
 * connectors stand for two application nodes, each with stores of its own. {@link
 * ClusterShardStoresIT} runs the same on the test Redis Cluster.
 */
class RedisShardStoresIT {
  final String prefix = "shard-it-" + UUID.randomUUID() + ":";
  private final RedisConnector nodeA = connector();
  private final RedisConnector nodeB = connector();

  /** A connector of one node; each test closes it. */
  RedisConnector connector() {
    return RedisConnector.standalone(RedisURI.create(TestServers.redis().toString())).connect();
  }

  @AfterEach
  void close() {
    try (RedisKeyspace<String> redis = RedisKeyspace.open(nodeA, StringCodec.UTF8)) {
      for (String key :
          List.of(
              "{" + prefix + "shard:topology:orders}",
              "{" + prefix + "shard:topology:users}",
              "{" + prefix + "shard:directory:tenants}")) {
        redis.sync().del(key);
      }
    } finally {
      nodeA.close();
      nodeB.close();
    }
  }

  private static Topology jump(long version, String... shards) {
    return Topology.of(
        version, List.of(shards).stream().map(Shard::of).toList(), ShardStrategy.jump(shards));
  }

  @Test
  void ofEightNodesPublishingOneVersionExactlyOneWinsAndEveryWatcherSwitchesOnTheAnnouncement()
      throws Exception {
    List<RedisTopologyStore> stores = new ArrayList<>();
    List<TopologyWatcher<String>> watchers = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        stores.add(RedisTopologyStore.using(i % 2 == 0 ? nodeA : nodeB, "orders", prefix));
      }
      assertThat(stores.get(0).current()).isNull();
      stores.get(0).publish(jump(1, "a"));
      for (int i = 0; i < 4; i++) { // polls once a minute: only the announcement can switch them
        TopologyWatcher<String> watcher =
            TopologyWatcher.start(
                stores.get(i),
                t -> ShardRouters.create(t, ShardKeyCodec.strings()),
                Duration.ofMinutes(1));
        stores.get(i).onPublish(watcher::refresh);
        watchers.add(watcher);
      }

      AtomicInteger won = new AtomicInteger();
      String[] winner = new String[1];
      Concurrently.run(
          8,
          node -> {
            try {
              stores.get(node).publish(jump(2, "n" + node));
              won.incrementAndGet();
              winner[0] = "n" + node;
            } catch (ShardingException e) {
              assertThat(e)
                  .hasMessage(
                      "cannot publish topology v2 of keyspace 'orders': v2 is current and versions only grow");
            }
          });

      assertThat(won).hasValue(1);
      assertThat(stores.get(5).current()).isEqualTo(jump(2, winner[0]));
      for (TopologyWatcher<String> watcher : watchers) {
        Eventually.awaitTrue(
            () -> watcher.router().topology().version() == 2, "every node on v2 by announcement");
      }
      assertThatThrownBy(() -> stores.get(0).publish(jump(1, "z")))
          .hasMessageContaining("v2 is current");
      try (RedisKeyspace<String> redis = RedisKeyspace.open(nodeB, StringCodec.UTF8)) {
        assertThat(redis.sync().hget("{" + prefix + "shard:topology:orders}", "version"))
            .as("the documented key layout")
            .isEqualTo("2");
      }
      try (RedisTopologyStore users = RedisTopologyStore.using(nodeB, "users", prefix)) {
        assertThat(users.current()).isNull();
      }
    } finally {
      watchers.forEach(TopologyWatcher::close);
      stores.forEach(RedisTopologyStore::close);
    }
  }

  @Test
  void aDirectoryChangeOnOneNodeReachesTheOtherNodesCaches() {
    Topology topology =
        Topology.of(
            1,
            List.of(Shard.of("a"), Shard.of("b"), Shard.of("c")),
            ShardStrategy.directory("tenants", ShardStrategy.jump("a", "b")));
    try (RedisShardDirectory tableA = RedisShardDirectory.using(nodeA, "tenants", prefix);
        RedisShardDirectory tableB = RedisShardDirectory.using(nodeB, "tenants", prefix);
        CachedShardDirectory cacheA = CachedShardDirectory.builder(tableA).build();
        CachedShardDirectory cacheB = CachedShardDirectory.builder(tableB).build()) {
      ShardRouter<String> nodeA =
          ShardRouters.builder(topology, ShardKeyCodec.strings())
              .directory("tenants", cacheA)
              .build();
      ShardRouter<String> nodeB =
          ShardRouters.builder(topology, ShardKeyCodec.strings())
              .directory("tenants", cacheB)
              .build();
      cacheA.assign("acme", "c");
      assertThat(nodeB.route("acme")).isEqualTo("c"); // now cached on B

      cacheA.assign("acme", "a");
      Eventually.awaitTrue(() -> nodeB.route("acme").equals("a"), "B to see A's change");
      assertThat(nodeA.route("acme")).isEqualTo("a");

      cacheB.remove("acme");
      String fallback =
          ShardRouters.create(
                  Topology.of(
                      1, List.of(Shard.of("a"), Shard.of("b")), ShardStrategy.jump("a", "b")),
                  ShardKeyCodec.strings())
              .route("acme");
      Eventually.awaitTrue(() -> nodeA.route("acme").equals(fallback), "A to see B's removal");
      tableB.assign("globex", "b");
      assertThat(tableA.entries()).isEqualTo(Map.of("globex", "b"));
      assertThat(tableA.shardOf("initech")).isNull();
    }
    assertThatThrownBy(() -> RedisShardDirectory.using(nodeA, "bad name", prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("directory name 'bad name' is invalid");
    assertThatThrownBy(() -> RedisTopologyStore.using(nodeA, "orders", "}" + prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different cluster slots");
  }
}
