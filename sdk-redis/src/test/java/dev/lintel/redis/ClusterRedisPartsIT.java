package dev.lintel.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.flags.Flags;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.health.HealthStatus;
import dev.lintel.redis.cache.PatternDeletion;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.redis.flags.RedisFlagStore;
import dev.lintel.redis.gateway.RedisRateLimitFilter;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis parts other than the tiered cache on the test Redis Cluster, each node with its own
 * {@link RedisConnector}: the shared rate limit, the flag store, the health check and pattern
 * deletion across every master.
 */
class ClusterRedisPartsIT {
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private RedisConnector connector() {
    RedisConnector connector =
        RedisConnector.cluster(RedisURI.create(TestServers.redisCluster().toString())).connect();
    opened.add(connector);
    return connector;
  }

  @Test
  void threeNodesNeverAdmitMoreThanTheLimitOfBucketsOnDifferentMasters() throws Exception {
    String name = "cluster-" + UUID.randomUUID();
    List<String> buckets = List.of("a", "b", "c", "d", "e", "f");
    assertThat(
            buckets.stream()
                .map(b -> SlotHash.getSlot("lintel:ratelimit:" + name + ":" + b) / 5462)
                .distinct()
                .count())
        .as("buckets spread over several masters' slot ranges")
        .isGreaterThan(1);
    List<Pipeline> nodes = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      RedisRateLimitFilter filter =
          RedisRateLimitFilter.keyedBy(
              connector(), name, 20, 1.0, request -> request.header("bucket"), true);
      opened.add(filter);
      nodes.add(
          Pipeline.builder().filter(filter).route("GET", "/", r -> Response.ok("ok")).build());
    }
    Map<String, AtomicInteger> admitted = new ConcurrentHashMap<>();
    long start = System.nanoTime();

    Concurrently.run(
        12,
        thread -> {
          for (int i = 0; i < 60; i++) {
            String bucket = buckets.get((thread + i) % buckets.size());
            Response response =
                nodes.get(thread % 3).handle(Request.of("GET", "/").withHeader("bucket", bucket));
            if (response.status() == 200) {
              admitted.computeIfAbsent(bucket, b -> new AtomicInteger()).incrementAndGet();
            }
          }
        });

    long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertThat(admitted).containsOnlyKeys(buckets);
    assertThat(admitted.values())
        .as("each bucket: burst of 20 plus 1 per second elapsed")
        .allSatisfy(count -> assertThat(count.get()).isBetween(20, 20 + (int) elapsedSeconds + 1));
  }

  @Test
  void aFlagChangeOnOneNodeReachesTheOtherOverShardedPubSub() {
    String prefix = "flags-cluster-" + UUID.randomUUID() + ":";
    RedisFlagStore storeA = RedisFlagStore.connect(connector(), prefix);
    opened.add(storeA);
    RedisFlagStore storeB = RedisFlagStore.using(connector(), prefix);
    opened.add(storeB);
    Flags nodeA = Flags.using(storeA);
    opened.add(nodeA);
    Flags nodeB = Flags.using(storeB);
    opened.add(nodeB);
    FlagContext ada = FlagContext.user("ada");
    storeA.put(Flag.offForEveryone("checkout"));
    assertThat(nodeB.isEnabled("checkout", ada, true)).isFalse(); // cached on B

    storeA.put(Flag.rollout("checkout", 0).withAllowedUsers(Set.of("ada")));

    Eventually.awaitTrue(() -> nodeB.isEnabled("checkout", ada, false), "B to see the change");
  }

  @Test
  void patternDeletionWalksEveryMasterAndSaysSo() throws Exception {
    RedisCacheStore store = RedisCacheStore.using(connector());
    opened.add(store);
    String prefix = "scan-" + UUID.randomUUID() + ":";
    for (int i = 0; i < 300; i++) {
      store.set(prefix + i, "v".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1)).join();
    }

    PatternDeletion report = store.deleteMatchingOnEveryMaster(prefix + "*").join();

    assertThat(report.complete()).isTrue();
    assertThat(report.scannedNodes()).hasSize(3);
    assertThat(report.deleted()).isEqualTo(300);
    assertThat(store.get(prefix + 7).join()).isNull();
    assertThat(store.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
  }
}
