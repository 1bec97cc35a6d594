package dev.lintel.redis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.testing.CacheContract.Item;
import dev.lintel.testing.RedisServerProcess;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code invalidateAll(pattern)} on 100,000 keys in a private Redis: it deletes exactly the
 * matching keys with SCAN and UNLINK, never sends KEYS (Redis' own command statistics say so), and
 * another client's PINGs keep being answered meanwhile.
 */
class PatternInvalidationIT {
  private static final Logger log = LoggerFactory.getLogger(PatternInvalidationIT.class);
  private static final int MATCHING = 100_000;
  private static final int OTHERS = 1_000;

  @Test
  void deletesOneHundredThousandKeysWithScanAndUnlinkWithoutBlockingOtherClients()
      throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
        RedisCacheStore store = RedisCaches.connect(redis.uri());
        TieredCache<String, Item> cache =
            TieredCache.builder("bulk", KeyCodec.strings(), Item.class)
                .config(TieredCacheConfig.custom().l2Ttl(Duration.ofHours(1)).build())
                .l2(store)
                .build()) {
      RedisClient client = RedisClient.create(redis.uri().toString());
      try (StatefulRedisConnection<String, String> raw = client.connect();
          StatefulRedisConnection<String, String> pinger = client.connect()) {
        fill(raw.async(), "lintel:bulk:item:", MATCHING);
        fill(raw.async(), "lintel:bulk:keep:", OTHERS);
        cache.put("item:local", new Item("local", 1));
        raw.sync().configResetstat();

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxPingMicros = new AtomicLong();
        AtomicLong pings = new AtomicLong();
        Thread pingLoop =
            new Thread(
                () -> {
                  while (!done.get()) {
                    long start = System.nanoTime();
                    pinger.sync().ping();
                    maxPingMicros.accumulateAndGet((System.nanoTime() - start) / 1_000, Math::max);
                    pings.incrementAndGet();
                  }
                });
        pingLoop.start();
        long deleted;
        try {
          deleted = cache.invalidateAll("item:*");
        } finally {
          done.set(true);
          pingLoop.join();
        }

        String stats = raw.sync().info("commandstats");
        log.info(
            "Deleted {} keys; {} PINGs meanwhile, the slowest {} µs",
            deleted,
            pings,
            maxPingMicros);
        assertThat(deleted).isEqualTo(MATCHING + 1);
        assertThat(raw.sync().dbsize()).isEqualTo(OTHERS);
        assertThat(cache.getIfPresent("item:local")).as("evicted from L1 too").isNull();
        assertThat(stats).contains("cmdstat_scan:").contains("cmdstat_unlink:");
        assertThat(stats).doesNotContain("cmdstat_keys:");
        assertThat(pings.get()).as("other clients were served meanwhile").isGreaterThan(10);
        assertThat(maxPingMicros.get())
            .as("slowest PING in µs (generous bound)")
            .isLessThan(500_000);
      } finally {
        client.shutdown();
      }
    }
  }

  private static void fill(RedisAsyncCommands<String, String> commands, String prefix, int count) {
    List<RedisFuture<String>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replies.add(commands.set(prefix + i, "{\"name\":\"x\",\"quantity\":1}"));
      if (replies.size() == 5_000) {
        assertThat(
                LettuceFutures.awaitAll(30, TimeUnit.SECONDS, replies.toArray(RedisFuture[]::new)))
            .isTrue();
        replies.clear();
      }
    }
    LettuceFutures.awaitAll(30, TimeUnit.SECONDS, replies.toArray(RedisFuture[]::new));
  }
}
