package dev.lintel.redis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.cache.TieredCache;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.CacheContract.Item;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation channel's state counts: a node whose L1 holds every key stops trusting it soon
 * after Redis (and so the channel) goes away, while another node keeps writing. Kills and restarts
 * a private {@code redis-server} and counts the stale reads.
 */
class ChannelOutageIT {
  private static final Logger log = LoggerFactory.getLogger(ChannelOutageIT.class);
  private static final int KEYS = 20;
  private static final Duration WINDOW = Duration.ofMillis(300);

  private final VersionedSource source = new VersionedSource(KEYS);

  private TieredCache<String, Item> node(RedisCacheStore store) {
    return source.node(store, "channel-outage", Duration.ofMillis(200), WINDOW);
  }

  @Test
  void afterAnOutageNoReadIsStalerThanTheWindowAndHealthShowedItAtOnce() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        RedisCacheStore writerStore = RedisCaches.connect(redis.uri());
        RedisCacheStore readerStore = RedisCaches.connect(redis.uri());
        TieredCache<String, Item> writer = node(writerStore);
        TieredCache<String, Item> reader = node(readerStore)) {
      for (int k = 0; k < KEYS; k++) {
        reader.get("k" + k);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      AtomicLong staleBeyondWindow = new AtomicLong();
      AtomicLong staleWithinWindow = new AtomicLong();
      AtomicLong maxStaleMillis = new AtomicLong();
      List<Throwable> callerErrors = new CopyOnWriteArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(4);
      List<Future<?>> workers = new CopyOnWriteArrayList<>();
      workers.add(
          threads.submit(
              () -> {
                while (!stop.get()) {
                  String key = "k" + ThreadLocalRandom.current().nextInt(KEYS);
                  try {
                    source.write(writer, key);
                    Thread.sleep(2);
                  } catch (Throwable e) {
                    callerErrors.add(e);
                  }
                }
              }));
      for (int t = 0; t < 3; t++) {
        workers.add(
            threads.submit(
                () -> {
                  while (!stop.get()) {
                    try {
                      VersionedSource.Read read = source.read(reader);
                      reads.incrementAndGet();
                      if (read.stale()) {
                        long staleMillis = TimeUnit.NANOSECONDS.toMillis(read.staleness());
                        maxStaleMillis.accumulateAndGet(staleMillis, Math::max);
                        if (staleMillis > WINDOW.toMillis() + 200) {
                          staleBeyondWindow.incrementAndGet();
                        } else {
                          staleWithinWindow.incrementAndGet();
                        }
                      }
                    } catch (Throwable e) {
                      callerErrors.add(e);
                    }
                  }
                }));
      }
      try {
        Eventually.awaitTrue(() -> reads.get() > 5_000, "reads before the outage");

        redis.kill();
        long killed = System.nanoTime();
        Eventually.awaitTrue(
            () -> health(reader) == HealthStatus.DEGRADED, "the reader's health to show it");
        long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(reader.invalidationChannelDown()).isTrue();
        long readsAtKill = reads.get();
        Eventually.awaitTrue(() -> reads.get() > readsAtKill + 2_000, "reads while Redis is down");
        Thread.sleep(2_000);

        redis.start(); // empty: it keeps nothing on disk
        Eventually.awaitTrue(
            () -> !reader.invalidationChannelDown() && !writer.invalidationChannelDown(),
            "both channels back");
        long readsAfterRecovery = reads.get();
        Eventually.awaitTrue(
            () -> reads.get() > readsAfterRecovery + 10_000, "reads after the recovery");
        log.info(
            "Channel outage: health DEGRADED {} ms after the kill; {} reads, {} stale within the"
                + " window, {} beyond it, longest staleness {} ms",
            noticedMillis,
            reads.get(),
            staleWithinWindow.get(),
            staleBeyondWindow.get(),
            maxStaleMillis.get());
      } finally {
        stop.set(true);
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      assertThat(callerErrors).as("errors seen by callers").isEmpty();
      assertThat(staleBeyondWindow).as("reads staler than the window (+200 ms)").hasValue(0);
    }
  }

  private static HealthStatus health(TieredCache<?, ?> cache) {
    try {
      return cache.healthCheck().check().status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
