package dev.lintel.redis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.cache.TieredCache;
import dev.lintel.health.HealthStatus;
import dev.lintel.redis.RedisConnector;
import dev.lintel.testing.CacheContract.Item;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.RedisClusterProcesses;
import dev.lintel.testing.RedisServerProcess;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three SDK instances read and write through a private Redis Cluster (3 masters, 3 replicas, each a
 * process this test started) while the master of the invalidation channel's shard fails over: once
 * by {@code CLUSTER FAILOVER} on its replica, once by being killed so that its replica is promoted.
 * Callers never see an exception, and once the cluster and every instance's channel have recovered,
 * no read returns a value staler than the L1 stale window.
 */
class ClusterFailoverIT {
  private static final Logger log = LoggerFactory.getLogger(ClusterFailoverIT.class);
  private static final String NAMESPACE = "failover";
  private static final int KEYS = 30;
  private static final int INSTANCES = 3;
  private static final Duration WINDOW = Duration.ofMillis(300);

  /** What the test does to the master of the channel's shard. */
  private interface Disruption {
    void apply(RedisClusterProcesses cluster, RedisServerProcess master) throws Exception;
  }

  @Test
  void aManualFailoverOfTheChannelsShardLosesNoInvalidationOnceRecovered() throws Exception {
    runThrough(
        "CLUSTER FAILOVER", (cluster, master) -> cluster.failover(cluster.replicaOf(master)));
  }

  @Test
  void killingTheMasterOfTheChannelsShardLosesNoInvalidationOnceRecovered() throws Exception {
    runThrough("master killed", (cluster, master) -> master.kill());
  }

  private void runThrough(String name, Disruption disruption) throws Exception {
    VersionedSource source = new VersionedSource(KEYS);
    List<AutoCloseable> opened = new ArrayList<>();
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(Duration.ofSeconds(2))) {
      List<TieredCache<String, Item>> instances = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        RedisCacheStore store =
            RedisCacheStore.connect(
                RedisConnector.cluster(RedisURI.create(cluster.seedUri()))
                    .reconnectDelay(Duration.ofMillis(200))
                    .topologyRefresh(Duration.ofSeconds(1))
                    .connect());
        opened.add(store);
        TieredCache<String, Item> cache =
            source.node(store, NAMESPACE, Duration.ofMillis(300), WINDOW);
        opened.add(0, cache);
        instances.add(cache);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong countFrom = new AtomicLong(Long.MAX_VALUE);
      AtomicLong reads = new AtomicLong();
      AtomicLong readsCounted = new AtomicLong();
      AtomicLong staleWhileRecovering = new AtomicLong();
      AtomicLong staleBeyondWindowWhileRecovering = new AtomicLong();
      AtomicLong staleAfterRecovery = new AtomicLong();
      AtomicLong staleBeyondWindowAfterRecovery = new AtomicLong();
      List<Throwable> callerErrors = new CopyOnWriteArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(2 * INSTANCES);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        int instance = i;
        TieredCache<String, Item> cache = instances.get(i);
        workers.add(
            threads.submit(
                () -> {
                  while (!stop.get()) {
                    int k = instance + INSTANCES * ThreadLocalRandom.current().nextInt(KEYS / 3);
                    String key = "k" + k; // one writer per key: versions reach L2 in order
                    try {
                      source.write(cache, key);
                      Thread.sleep(3);
                    } catch (Throwable e) {
                      callerErrors.add(e);
                    }
                  }
                }));
        workers.add(
            threads.submit(
                () -> {
                  while (!stop.get()) {
                    try {
                      VersionedSource.Read read = source.read(cache);
                      reads.incrementAndGet();
                      LockSupport.parkNanos(20_000); // leave the cluster's processes some CPU
                      long start = read.startNanos();
                      boolean counted = start >= countFrom.get();
                      if (counted) {
                        readsCounted.incrementAndGet();
                      }
                      if (!read.stale()) {
                        continue;
                      }
                      boolean beyondWindow = read.staleness() > WINDOW.toNanos();
                      if (!counted) {
                        staleWhileRecovering.incrementAndGet();
                        if (beyondWindow) {
                          staleBeyondWindowWhileRecovering.incrementAndGet();
                        }
                        continue;
                      }
                      staleAfterRecovery.incrementAndGet();
                      if (beyondWindow) {
                        staleBeyondWindowAfterRecovery.incrementAndGet();
                      }
                    } catch (Throwable e) {
                      callerErrors.add(e);
                    }
                  }
                }));
      }
      long disruptedMillis;
      try {
        Eventually.awaitTrue(() -> reads.get() > 5_000, "reads before the failover");
        int channelSlot = SlotHash.getSlot("lintel:invalidations:" + NAMESPACE);
        RedisServerProcess master = cluster.masterOf(channelSlot);
        long disrupted = System.nanoTime();
        disruption.apply(cluster, master);
        cluster.awaitNewMaster(channelSlot, master, Duration.ofSeconds(60));
        cluster.awaitHealthy(Duration.ofSeconds(60));
        Eventually.awaitTrue(
            () -> instances.stream().allMatch(c -> healthy(c)), "every instance healthy again");
        disruptedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disrupted);
        Thread.sleep(1_000); // every key rewritten since: no write is lost to async replication
        countFrom.set(System.nanoTime());
        Eventually.awaitTrue(() -> readsCounted.get() > 10_000, "reads after the recovery");
      } finally {
        stop.set(true);
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      log.info(
          "{}: recovered {} ms after the disruption; {} reads, {} after recovery; stale reads:"
              + " {} while recovering ({} beyond the window), {} after (propagation delay), {} after beyond the {} ms"
              + " window",
          name,
          disruptedMillis,
          reads.get(),
          readsCounted.get(),
          staleWhileRecovering.get(),
          staleBeyondWindowWhileRecovering.get(),
          staleAfterRecovery.get(),
          staleBeyondWindowAfterRecovery.get(),
          WINDOW.toMillis());
      assertThat(callerErrors).as("errors seen by callers").isEmpty();
      assertThat(staleBeyondWindowAfterRecovery)
          .as("reads after recovery staler than the window")
          .hasValue(0);
    } finally {
      for (AutoCloseable closeable : opened) {
        closeable.close();
      }
    }
  }

  private static boolean healthy(TieredCache<?, ?> cache) {
    try {
      return cache.healthCheck().check().status() == HealthStatus.UP;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
