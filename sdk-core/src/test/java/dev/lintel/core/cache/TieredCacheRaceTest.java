package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.Registration;
import dev.lintel.cache.CacheException;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interleavings forced with a store whose reads can be held: a lookup racing a write or an
 * invalidation, lookups of one key joining each other, failures in the middle of {@code getAll}.
 */
class TieredCacheRaceTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** An in-memory store whose next GET can be held open and answered with what it read then. */
  private static final class GatedStore implements RemoteCacheStore {
    final InMemoryStore data = new InMemoryStore();
    volatile @Nullable CountDownLatch readStarted;
    volatile @Nullable CountDownLatch releaseRead;

    volatile @Nullable CountDownLatch setStarted;
    volatile @Nullable CountDownLatch releaseSet;

    void holdNextSet() {
      setStarted = new CountDownLatch(1);
      releaseSet = new CountDownLatch(1);
    }

    void holdNextRead() {
      readStarted = new CountDownLatch(1);
      releaseRead = new CountDownLatch(1);
    }

    @Override
    public CompletableFuture<byte @Nullable []> get(String key) {
      byte[] value = data.values.get(key); // what the read sees now...
      CountDownLatch started = readStarted;
      CountDownLatch release = releaseRead;
      if (started == null || release == null) {
        return CompletableFuture.completedFuture(value);
      }
      readStarted = null;
      releaseRead = null;
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS); // ...is answered only later
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletableFuture<List<byte @Nullable []>> getAll(List<String> keys) {
      return data.getAll(keys);
    }

    @Override
    public CompletableFuture<Void> set(String key, byte[] value, Duration ttl) {
      CountDownLatch started = setStarted;
      CountDownLatch release = releaseSet;
      if (started != null && release != null) {
        setStarted = null;
        releaseSet = null;
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS); // the write lands only when released
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return data.set(key, value, ttl);
    }

    @Override
    public CompletableFuture<Void> delete(Collection<String> keys) {
      return data.delete(keys);
    }

    @Override
    public CompletableFuture<Long> deleteMatching(String pattern) {
      return data.deleteMatching(pattern);
    }

    @Override
    public CompletableFuture<Boolean> tryLock(String key, String token, Duration ttl) {
      return data.tryLock(key, token, ttl);
    }

    @Override
    public CompletableFuture<Boolean> unlock(String key, String token) {
      return data.unlock(key, token);
    }

    @Override
    public CompletableFuture<Void> publish(String channel, String message) {
      return data.publish(channel, message);
    }

    @Override
    public Registration subscribe(String channel, Listener listener) {
      return data.subscribe(channel, listener);
    }

    @Override
    public void close() {}
  }

  private static TieredCache<String, String> node(RemoteCacheStore store) {
    return TieredCache.builder("race", KeyCodec.strings(), String.class)
        .config(
            TieredCacheConfig.custom()
                .l2Ttl(Duration.ofMinutes(5))
                .l2Timeout(Duration.ofSeconds(20))
                .build())
        .l2(store)
        .build();
  }

  @Test
  void aLookupThatReadTheOldValueWhileAPutWasWritingNeverKeepsItInL1() throws Exception {
    GatedStore store = new GatedStore();
    try (TieredCache<String, String> cache = node(store)) {
      store.data.values.put("lintel:race:k", "\"old\"".getBytes(StandardCharsets.UTF_8));

      store.holdNextSet();
      CountDownLatch writing = store.setStarted;
      CountDownLatch releaseWrite = store.releaseSet;
      Future<?> put = threads.submit(() -> cache.put("k", "new"));
      writing.await(10, TimeUnit.SECONDS); // the put is writing L2, which still holds "old"

      store.holdNextRead();
      CountDownLatch reading = store.readStarted;
      CountDownLatch releaseRead = store.releaseRead;
      Future<@Nullable String> reader = threads.submit(() -> cache.getIfPresent("k"));
      reading.await(10, TimeUnit.SECONDS); // a lookup has read "old" from L2

      releaseWrite.countDown();
      put.get(10, TimeUnit.SECONDS); // the put returned
      releaseRead.countDown();

      assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // it started before
      assertThat(cache.getIfPresent("k")).as("after the put returned").isEqualTo("new");
    }
  }

  @Test
  void aLookupRacingAnotherNodesInvalidationDoesNotFillL1WithWhatItRead() throws Exception {
    GatedStore store = new GatedStore();
    try (TieredCache<String, String> writer = node(store);
        TieredCache<String, String> reader = node(store)) {
      writer.put("k", "old");

      store.holdNextRead();
      CountDownLatch started = store.readStarted;
      CountDownLatch release = store.releaseRead;
      Future<@Nullable String> read = threads.submit(() -> reader.getIfPresent("k"));
      started.await(10, TimeUnit.SECONDS); // the reader has read "old" from L2

      writer.put("k", "new"); // publishes; the reader's node detaches its lookup
      release.countDown();
      read.get(10, TimeUnit.SECONDS);

      assertThat(reader.getIfPresent("k")).isEqualTo("new");
    }
  }

  @Test
  void aGetJoiningAnL2OnlyLookupLoadsOnItsOwnThreadWhenItFindsNothing() throws Exception {
    GatedStore store = new GatedStore();
    try (TieredCache<String, String> cache = node(store)) {
      store.holdNextRead();
      CountDownLatch started = store.readStarted;
      CountDownLatch release = store.releaseRead;
      Future<@Nullable String> peek = threads.submit(() -> cache.getIfPresent("k"));
      started.await(10, TimeUnit.SECONDS);

      AtomicReference<Thread> getter = new AtomicReference<>();
      AtomicReference<Thread> loadedOn = new AtomicReference<>();
      Future<@Nullable String> get =
          threads.submit(
              () -> {
                getter.set(Thread.currentThread());
                return cache.get(
                    "k",
                    key -> {
                      loadedOn.set(Thread.currentThread());
                      return "loaded";
                    });
              });
      // It has joined the lookup in flight once it parks waiting for it.
      Eventually.awaitTrue(
          () -> getter.get() != null && getter.get().getState() == Thread.State.WAITING,
          "the get to join the lookup in flight");
      release.countDown();

      assertThat(peek.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(get.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
      assertThat(loadedOn.get()).as("the loader ran on the caller's thread").isSameAs(getter.get());
    }
  }

  @Test
  void aNullKeyInGetAllLeavesNoLookupBehind() {
    try (TieredCache<String, String> cache =
        TieredCache.builder("race", KeyCodec.strings(), String.class)
            .loader(key -> "v-" + key)
            .build()) {
      assertThatThrownBy(() -> cache.getAll(Arrays.asList("a", null)))
          .isInstanceOf(NullPointerException.class);

      assertThat(cache.getAll(List.of("a"))).containsEntry("a", "v-a");
    }
  }

  @Test
  void aLoaderFailingForOneKeyOfGetAllFinishesTheOthers() throws Exception {
    CountDownLatch bLoading = new CountDownLatch(1);
    CountDownLatch releaseB = new CountDownLatch(1);
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    try (TieredCache<String, String> cache =
        TieredCache.builder("race", KeyCodec.strings(), String.class)
            .loader(
                key -> {
                  calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                  if (key.equals("b")) {
                    bLoading.countDown();
                    releaseB.await(10, TimeUnit.SECONDS);
                  }
                  if (key.equals("c")) {
                    throw new IllegalStateException("row c is corrupt");
                  }
                  return "v-" + key;
                })
            .build()) {
      Future<Map<String, String>> all =
          threads.submit(() -> cache.getAll(List.of("a", "b", "c", "d")));
      bLoading.await(10, TimeUnit.SECONDS);
      Future<@Nullable String> joinerOfD = threads.submit(() -> cache.get("d"));
      releaseB.countDown();

      assertThatThrownBy(() -> all.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CacheLoadException.class)
          .hasMessageContaining("'c'");
      assertThat(joinerOfD.get(10, TimeUnit.SECONDS)).isEqualTo("v-d");
      assertThat(cache.getIfPresent("a")).isEqualTo("v-a");
      assertThat(cache.getIfPresent("d")).isEqualTo("v-d");
      assertThat(calls.get("d")).as("d was loaded once, and shared").hasValue(1);
    }
  }

  @Test
  void aRefusingExecutorFailsTheAsyncLookupAndLeavesNothingBehind() throws Exception {
    try (TieredCache<String, String> cache =
        TieredCache.builder("race", KeyCodec.strings(), String.class)
            .executor(
                task -> {
                  throw new RejectedExecutionException("saturated");
                })
            .build()) {
      CompletableFuture<@Nullable String> async = cache.getAsync("k", key -> "v");

      assertThatThrownBy(() -> async.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(CacheException.class)
          .hasMessageContaining("'k'");
      assertThat(threads.submit(() -> cache.get("k", key -> "v")).get(10, TimeUnit.SECONDS))
          .isEqualTo("v");
    }
  }

  @Test
  void aWriteBehindWriterThatThrowsAnErrorDoesNotStopTheFlushing() {
    AtomicInteger attempts = new AtomicInteger();
    Map<String, String> database = new ConcurrentHashMap<>();
    try (TieredCache<String, String> cache =
        TieredCache.builder("race", KeyCodec.strings(), String.class)
            .config(TieredCacheConfig.custom().writeBehind(10, Duration.ofMillis(10), 100).build())
            .writer(
                values -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new NoClassDefFoundError("a broken writer dependency");
                  }
                  if (attempts.get() == 2) {
                    Thread.currentThread().interrupt(); // and one that leaves the flag set
                  }
                  database.putAll(values);
                })
            .build()) {
      cache.put("a", "1");
      Eventually.awaitTrue(() -> database.containsKey("a"), "the write after the Error");
      cache.put("b", "2");
      Eventually.awaitTrue(() -> database.containsKey("b"), "the write after the interrupt");
    }
  }

  @Test
  void reservedNamespacesAreRefused() {
    assertThatThrownBy(() -> TieredCache.builder("lock", KeyCodec.strings(), String.class))
        .hasMessageContaining("'lock'")
        .hasMessageContaining("reserved");
  }
}
