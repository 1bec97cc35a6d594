package dev.lintel.redis.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.redis.RedisConnector;
import dev.lintel.shard.ShardingException;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.RedisClusterProcesses;
import dev.lintel.testing.RedisServerProcess;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A shard directory on a private Redis Cluster (3 masters, 3 replicas, processes this test starts,
 * like {@code ClusterFailoverIT}) whose hash and change channel's master fails over by {@code
 * CLUSTER FAILOVER}: the other node's listener hears "anything may have changed" (null) once its
 * sharded subscription is back, and changes made on the new master reach it.
 */
class ClusterShardDirectoryFailoverIT {

  @Test
  void aFailoverOfTheChannelsMasterTellsListenersAnythingMayHaveChangedAndChangesStillArrive()
      throws Exception {
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(Duration.ofSeconds(2));
        RedisConnector nodeA = connector(cluster);
        RedisConnector nodeB = connector(cluster);
        RedisShardDirectory tableA = RedisShardDirectory.using(nodeA, "tenants");
        RedisShardDirectory tableB = RedisShardDirectory.using(nodeB, "tenants")) {
      List<@Nullable String> heardByB = new CopyOnWriteArrayList<>();
      tableB.onChange(heardByB::add);
      tableA.assign("acme", "a");
      Eventually.awaitTrue(() -> heardByB.contains("acme"), "B to hear A's first change");

      RedisServerProcess master =
          cluster.masterOf(SlotHash.getSlot("{lintel:shard:directory:tenants}:changes"));
      cluster.failover(cluster.replicaOf(master));

      Eventually.awaitTrue(
          () -> heardByB.contains(null),
          "B to hear 'anything may have changed' after the failover");
      // The subscription may move more than once (a stale topology can name the old master, now a
      // replica, first); a change made while it moves is missed, and B hears null again for it. So
      // keep making changes until one arrives as itself.
      AtomicInteger changes = new AtomicInteger();
      Eventually.awaitTrue(
          () -> {
            String key = "after-" + changes.incrementAndGet();
            try {
              tableA.assign(key, "b");
            } catch (ShardingException notYet) {
              return false; // the client has not seen the new master yet
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < deadline) {
              if (heardByB.contains(key)) {
                return true;
              }
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            return false;
          },
          "a change made on the new master to reach B");
      assertThat(tableB.shardOf("after-" + changes.get())).isEqualTo("b");
      assertThat(tableB.entries()).containsEntry("acme", "a");
    }
  }

  private static RedisConnector connector(RedisClusterProcesses cluster) {
    return RedisConnector.cluster(RedisURI.create(cluster.seedUri()))
        .reconnectDelay(Duration.ofMillis(200))
        .topologyRefresh(Duration.ofSeconds(1))
        .connect();
  }
}
