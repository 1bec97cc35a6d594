package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.CacheContract.Item;
import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a cache does when its invalidation channel drops (the store says {@code onDisconnect}) and
 * comes back ({@code onReconnect}), on an in-memory store and a manual clock.
 */
class ChannelLossTest {
  private static final String CHANNEL = "lintel:invalidations:users";

  private final InMemoryStore store = new InMemoryStore();
  private final ManualTimeSource time = ManualTimeSource.create();
  private final Map<String, Item> database = new ConcurrentHashMap<>();
  private final TieredCache<String, Item> cache =
      TieredCache.builder("users", KeyCodec.strings(), Item.class)
          .config(
              TieredCacheConfig.custom()
                  .l1(100, Duration.ofHours(1))
                  .l1StaleWindow(Duration.ofMillis(200))
                  .build())
          .l2(store)
          .loader(database::get)
          .timeSource(time)
          .build();

  @AfterEach
  void close() {
    cache.close();
  }

  private void channel(java.util.function.Consumer<RemoteCacheStore.Listener> event) {
    store.listeners.get(CHANNEL).forEach(event);
  }

  @Test
  void afterTheStaleWindowL1IsBypassedUntilTheChannelIsBackAndHealthIsDegradedAtOnce()
      throws Exception {
    database.put("ada", new Item("ada", 1));
    assertThat(cache.get("ada")).isEqualTo(new Item("ada", 1)); // in L1 and L2 now
    store.values.clear(); // another node's write that L1 will never hear about
    database.put("ada", new Item("ada", 2));

    channel(RemoteCacheStore.Listener::onDisconnect);

    assertThat(cache.healthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(cache.invalidationChannelDown()).isTrue();
    time.advance(Duration.ofMillis(199));
    assertThat(cache.get("ada")).as("within the window L1 answers").isEqualTo(new Item("ada", 1));
    time.advance(Duration.ofMillis(1));
    assertThat(cache.get("ada")).as("past the window L1 is bypassed").isEqualTo(new Item("ada", 2));
    assertThat(cache.getIfPresent("ada")).as("from L2, filled by the load").isNotNull();

    channel(RemoteCacheStore.Listener::onReconnect);

    assertThat(cache.invalidationChannelDown()).isFalse();
    assertThat(cache.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
    long loads = cache.stats().loads();
    store.values.clear();
    database.put("ada", new Item("ada", 3));
    assertThat(cache.get("ada"))
        .as("L1 was cleared when the channel came back")
        .isEqualTo(new Item("ada", 3));
    assertThat(cache.stats().loads()).isEqualTo(loads + 1);
    assertThat(cache.get("ada")).as("and serves again").isEqualTo(new Item("ada", 3));
    assertThat(cache.stats().loads()).isEqualTo(loads + 1);
  }

  @Test
  void aZeroWindowStopsL1AtOnce() {
    try (TieredCache<String, Item> strict =
        TieredCache.builder("strict", KeyCodec.strings(), Item.class)
            .config(TieredCacheConfig.custom().l1StaleWindow(Duration.ZERO).build())
            .l2(store)
            .loader(database::get)
            .timeSource(time)
            .build()) {
      database.put("k", new Item("k", 1));
      strict.get("k");
      store.values.clear();
      database.put("k", new Item("k", 2));

      store.listeners.get("lintel:invalidations:strict").forEach(l -> l.onDisconnect());

      assertThat(strict.get("k")).isEqualTo(new Item("k", 2));
    }
  }

  /**
   * Another node whose change of "k" (1 to 2) reached neither L2 nor this test's cache, which still
   * holds 1 in L1; the store answers again afterwards. Runs its re-sends on the calling thread.
   */
  private TieredCache<String, Item> writerWhoseChangeWasLost() {
    TieredCache<String, Item> writer =
        TieredCache.builder("users", KeyCodec.strings(), Item.class)
            .l2(store)
            .loader(database::get)
            .executor(Runnable::run)
            .build();
    database.put("k", new Item("k", 1));
    assertThat(cache.get("k")).isEqualTo(new Item("k", 1)); // in this node's L1 and in L2
    store.unreachable = true;
    database.put("k", new Item("k", 2));
    writer.put("k", new Item("k", 2)); // neither L2 nor the other node hears of it
    store.unreachable = false;
    assertThat(cache.get("k")).as("stale until re-sent").isEqualTo(new Item("k", 1));
    return writer;
  }

  @Test
  void aChangeThatCouldNotReachTheOtherNodesIsSentAgainOnceTheStoreAnswers() {
    try (TieredCache<String, Item> writer = writerWhoseChangeWasLost()) {

      writer.put("other", new Item("other", 1)); // reaches the store: the missed change follows

      assertThat(cache.get("k")).isEqualTo(new Item("k", 2));
    }
  }

  @Test
  void aNodeThatOnlyReadsAfterAFailedChangeSendsItAgainOnAReadPastL1() {
    try (TieredCache<String, Item> writer = writerWhoseChangeWasLost()) {
      writer.getIfPresent("never-cached"); // past L1: the missed change is sent again

      assertThat(cache.get("k")).isEqualTo(new Item("k", 2));
    }
  }
}
