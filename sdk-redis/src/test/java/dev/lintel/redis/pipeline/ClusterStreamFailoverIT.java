package dev.lintel.redis.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.RedisKeyspace;
import dev.lintel.testing.RedisClusterProcesses;
import dev.lintel.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream pipeline on a private Redis Cluster (3 masters, 3 replicas, processes this test starts)
 * whose stream's master fails over mid-run: once by {@code CLUSTER FAILOVER} on its replica, once
 * by being killed so that its replica is promoted. With the source's default outage tolerance the
 * pipeline rides through: every entry is processed at least once and none is left pending in the
 * group on the new master. Reads, claims and acknowledgements that fail while the slot has no
 * master are retried; a delivery or an acknowledgement the killed master had not yet replicated
 * only brings an entry back once more.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterStreamFailoverIT {
  private static final int ENTRIES = 3_000;
  private static final String STREAM = "failover-it";
  private static final String GROUP = "importers";

  /** What the test does to the stream's master. */
  private interface Disruption {
    void apply(RedisClusterProcesses cluster, RedisServerProcess master) throws Exception;
  }

  @Test
  void aManualFailoverOfTheStreamsMasterLosesNoEntry() throws Exception {
    runThrough((cluster, master) -> cluster.failover(cluster.replicaOf(master)));
  }

  @Test
  void killingTheStreamsMasterLosesNoEntry() throws Exception {
    runThrough((cluster, master) -> master.kill());
  }

  private static void runThrough(Disruption disruption) throws Exception {
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(Duration.ofSeconds(2));
        RedisConnector connector = connector(cluster);
        RedisKeyspace<String> admin = RedisKeyspace.open(connector, StringCodec.UTF8)) {
      RedisClusterCommands<String, String> redis = admin.sync();
      for (int n = 0; n < ENTRIES; n++) {
        redis.xadd(STREAM, Map.of("n", Integer.toString(n)));
      }
      int slot = SlotHash.getSlot(STREAM);
      RedisServerProcess master = cluster.masterOf(slot);
      awaitReplicated(master); // the entries survive the kill: what is tested is the group's work

      RedisStreamSource source =
          RedisStreamSource.using(connector, STREAM, GROUP, "node-1")
              .readCount(10)
              .lease(Duration.ofSeconds(2)) // entries of a read whose reply was lost: back soon
              .endWhenDrained(true)
              .build(); // the default outage tolerance, 30 s
      AckingRun run = new AckingRun(source, Duration.ofNanos(500_000), 300);

      disruption.apply(cluster, master);
      RedisServerProcess newMaster = cluster.awaitNewMaster(slot, master, Duration.ofSeconds(60));
      PipelineProgress result = run.pipeline.awaitCompletion();

      assertThat(run.seen).hasSize(ENTRIES);
      assertThat(result.processed())
          .isEqualTo(run.deliveries.sum())
          .isGreaterThanOrEqualTo(ENTRIES);
      assertThat(pendingOn(newMaster)).isZero();
    }
  }

  private static RedisConnector connector(RedisClusterProcesses cluster) {
    return RedisConnector.cluster(RedisURI.create(cluster.seedUri()))
        .reconnectDelay(Duration.ofMillis(200))
        .topologyRefresh(Duration.ofSeconds(1))
        .commandTimeout(Duration.ofSeconds(2))
        .connect();
  }

  /** Waits until a replica of the master has everything written so far ({@code WAIT}). */
  private static void awaitReplicated(RedisServerProcess master) {
    withNode(
        master,
        commands -> assertThat(commands.waitForReplication(1, 10_000)).isGreaterThanOrEqualTo(1));
  }

  private static long pendingOn(RedisServerProcess master) {
    long[] pending = new long[1];
    withNode(master, commands -> pending[0] = commands.xpending(STREAM, GROUP).getCount());
    return pending[0];
  }

  private static void withNode(
      RedisServerProcess node,
      java.util.function.Consumer<io.lettuce.core.api.sync.RedisCommands<String, String>> work) {
    RedisClient client = RedisClient.create(RedisURI.create(node.uri()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      work.accept(connection.sync());
    } finally {
      client.shutdown();
    }
  }
}
