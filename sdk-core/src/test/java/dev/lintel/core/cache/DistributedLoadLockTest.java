package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.cache.KeyCodec;
import dev.lintel.testing.ManualTimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DistributedLoadLock} on an in-memory store: one holder loads, waiters poll L2, and a
 * waiter's patience is measured on the cache's time source.
 */
class DistributedLoadLockTest {
  private static final String LOCK_KEY = "lintel:lock:users:k";

  private final InMemoryStore store = new InMemoryStore();
  private final CircuitBreaker breaker = CircuitBreaker.ofDefaults("test");
  private final ManualTimeSource time = ManualTimeSource.create();
  private final DistributedLoadLock<String> lock =
      new DistributedLoadLock<>(
          new RemoteLevel(
              store, breaker, Duration.ofSeconds(5), time, new CacheCounters(), "users"),
          KeyCodec.strings(),
          "lintel:lock:users:",
          Duration.ofSeconds(30),
          Duration.ofMillis(10),
          time,
          "users");
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger loads = new AtomicInteger();
  private final Supplier<@Nullable String> loadHere =
      () -> {
        loads.incrementAndGet();
        return "loaded";
      };

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** L2 as a waiter sees it: empty until {@link #value} is set; counts down {@link #polls}. */
  private static final class SharedReads implements Supplier<@Nullable String> {
    volatile @Nullable String value;
    final CountDownLatch polls;

    SharedReads(int polls) {
      this.polls = new CountDownLatch(polls);
    }

    @Override
    public @Nullable String get() {
      polls.countDown();
      return value;
    }
  }

  private void heldByAnotherProcess() {
    store.values.put(LOCK_KEY, "another-token".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theHolderReadsL2AgainThenLoadsAndReleasesItsLock() {
    assertThat(lock.load("k", () -> null, loadHere)).isEqualTo("loaded");

    assertThat(loads).hasValue(1);
    assertThat(store.values).doesNotContainKey(LOCK_KEY);
  }

  @Test
  void aHolderThatFindsTheValueInL2DoesNotLoad() {
    assertThat(lock.load("k", () -> "stored meanwhile", loadHere)).isEqualTo("stored meanwhile");

    assertThat(loads).hasValue(0);
    assertThat(store.values).doesNotContainKey(LOCK_KEY);
  }

  @Test
  void aWaiterTakesTheValueTheHolderStored() throws Exception {
    heldByAnotherProcess();
    SharedReads l2 = new SharedReads(1);
    Future<@Nullable String> waiter = threads.submit(() -> lock.load("k", l2, loadHere));
    assertThat(l2.polls.await(10, TimeUnit.SECONDS)).isTrue();

    l2.value = "the holder's";

    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("the holder's");
    assertThat(loads).hasValue(0);
    assertThat(store.values).as("the holder's lock is not ours to release").containsKey(LOCK_KEY);
  }

  @Test
  void aWaiterTakesOverALockReleasedWithoutAValue() throws Exception {
    heldByAnotherProcess();
    SharedReads l2 = new SharedReads(1);
    Future<@Nullable String> waiter = threads.submit(() -> lock.load("k", l2, loadHere));
    assertThat(l2.polls.await(10, TimeUnit.SECONDS)).isTrue();

    store.values.remove(LOCK_KEY); // the holder's loader failed; it released the lock

    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
    assertThat(loads).hasValue(1);
    assertThat(store.values).doesNotContainKey(LOCK_KEY);
  }

  @Test
  void aWaiterLoadsItselfOnlyOnceTheLockWaitPassedOnTheTimeSource() throws Exception {
    heldByAnotherProcess(); // by a holder that died: its lock stays for its lease
    SharedReads l2 = new SharedReads(4);
    Future<@Nullable String> waiter = threads.submit(() -> lock.load("k", l2, loadHere));

    // Four polls sleep 5 + 10 + 20 + 40 ms of real time, far more than the 10 ms lock wait...
    assertThat(l2.polls.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter).as("...but the time source did not move").isNotDone();
    assertThat(loads).hasValue(0);

    time.advance(Duration.ofMillis(10));

    assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
    assertThat(loads).hasValue(1);
  }

  @Test
  void anUnreachableStoreMakesTheCallerLoadAtOnce() {
    breaker.transitionToForcedOpenState();
    SharedReads l2 = new SharedReads(1);

    assertThat(lock.load("k", l2, loadHere)).isEqualTo("loaded");

    assertThat(l2.polls.getCount()).as("L2 was not read").isOne();
    assertThat(loads).hasValue(1);
  }
}
