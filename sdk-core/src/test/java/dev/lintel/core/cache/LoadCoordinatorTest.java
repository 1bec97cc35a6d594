package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.cache.CacheException;
import dev.lintel.core.cache.LoadCoordinator.Lookup;
import dev.lintel.testing.Eventually;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * {@link LoadCoordinator}: one lookup per key at a time, shared by blocking, asynchronous and
 * batched callers, with one rule for when a joiner must look again.
 */
class LoadCoordinatorTest {
  private final LoadCoordinator<String, String> flights = new LoadCoordinator<>("test");
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Thread> callers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** A lookup that answers only when released, counting its calls and remembering its load. */
  private static final class HeldLookup implements Lookup<String, String> {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<Load<String, String>> load = new AtomicReference<>();
    final @Nullable String answer;

    HeldLookup(@Nullable String answer) {
      this.answer = answer;
    }

    @Override
    public @Nullable String lookUp(String key, Load<String, String> load) {
      calls.incrementAndGet();
      this.load.set(load);
      started.countDown();
      await(release);
      return answer;
    }
  }

  /** Runs a blocking load on its own thread, remembering the thread. */
  private Future<@Nullable String> call(String key, boolean mayLoad, Lookup<String, String> how) {
    return threads.submit(
        () -> {
          callers.add(Thread.currentThread());
          return flights.load(key, mayLoad, how);
        });
  }

  /** Waits until every caller started so far is parked: in its lookup or joined to another's. */
  private void awaitAllParked(int count) {
    Eventually.awaitTrue(
        () ->
            callers.size() == count
                && callers.stream()
                    .allMatch(
                        t ->
                            t.getState() == Thread.State.WAITING
                                || t.getState() == Thread.State.TIMED_WAITING),
        count + " callers to park");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void concurrentCallersOfOneKeyShareOneLookup() throws Exception {
    HeldLookup lookup = new HeldLookup("v");
    List<Future<@Nullable String>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(call("k", true, lookup));
    }
    awaitAllParked(8);

    lookup.release.countDown();

    for (Future<@Nullable String> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("v");
    }
    assertThat(lookup.calls).hasValue(1);
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void aCallerThatMayLoadLooksAgainOnItsOwnThreadWhenTheJoinedLookupFoundNothing()
      throws Exception {
    HeldLookup l2Only = new HeldLookup(null);
    Future<@Nullable String> peek = call("k", false, l2Only);
    l2Only.started.await(10, TimeUnit.SECONDS);
    AtomicReference<Thread> getter = new AtomicReference<>();
    AtomicReference<Thread> loadedOn = new AtomicReference<>();
    Future<@Nullable String> get =
        threads.submit(
            () -> {
              getter.set(Thread.currentThread());
              callers.add(Thread.currentThread());
              return flights.load(
                  "k",
                  true,
                  (key, load) -> {
                    loadedOn.set(Thread.currentThread());
                    return "loaded";
                  });
            });
    Future<@Nullable String> otherPeek = call("k", false, (key, load) -> "never asked");
    awaitAllParked(3);

    l2Only.release.countDown();

    assertThat(peek.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(otherPeek.get(10, TimeUnit.SECONDS)).as("it may not load: done").isNull();
    assertThat(get.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
    assertThat(loadedOn.get()).isSameAs(getter.get());
  }

  @Test
  void whatARefreshFoundIsFinalForWhoeverJoinedIt() throws Exception {
    List<Runnable> queued = new ArrayList<>();
    flights.refresh("k", queued::add, (key, load) -> null, "current");
    AtomicInteger ownLookups = new AtomicInteger();
    Future<@Nullable String> joiner =
        call(
            "k",
            true,
            (key, load) -> {
              ownLookups.incrementAndGet();
              return "own";
            });
    awaitAllParked(1);

    queued.get(0).run(); // the refresh found nothing: the source no longer has the key

    assertThat(joiner.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(ownLookups).hasValue(0);
  }

  @Test
  void aRefreshTheRunnerRefusesHandsOverTheCurrentValueAndLeavesNothingInFlight() {
    flights.refresh(
        "k",
        task -> {
          throw new RejectedExecutionException("saturated");
        },
        (key, load) -> "never",
        "current");

    assertThat(flights.inFlight()).isZero();
    assertThat(flights.load("k", true, (key, load) -> "fresh")).isEqualTo("fresh");
  }

  @Test
  void aRefreshDoesNotStartWhileALookupOfTheKeyIsInFlight() throws Exception {
    HeldLookup lookup = new HeldLookup("v");
    Future<@Nullable String> get = call("k", true, lookup);
    lookup.started.await(10, TimeUnit.SECONDS);
    List<Runnable> queued = new ArrayList<>();

    flights.refresh("k", queued::add, (key, load) -> "refreshed", "v");

    assertThat(queued).isEmpty();
    lookup.release.countDown();
    assertThat(get.get(10, TimeUnit.SECONDS)).isEqualTo("v");
  }

  @Test
  void aFailureReachesEveryCallerOfTheLookupAndTheNextCallLooksAgain() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Lookup<String, String> failing =
        (key, load) -> {
          await(release);
          throw new IllegalStateException("source down");
        };
    Future<@Nullable String> first = call("k", true, failing);
    Future<@Nullable String> second = call("k", true, failing);
    awaitAllParked(2);

    release.countDown();

    for (Future<@Nullable String> caller : List.of(first, second)) {
      assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("source down");
    }
    assertThat(flights.inFlight()).isZero();
    assertThat(flights.load("k", true, (key, load) -> "back")).isEqualTo("back");
  }

  @Test
  void anAsyncLookupTheRunnerRefusesFailsNamingTheKeyAndLeavesNothingInFlight() {
    CompletableFuture<@Nullable String> future =
        flights.loadAsync(
            "k",
            true,
            task -> {
              throw new RejectedExecutionException("saturated");
            },
            (key, load) -> "never");

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CacheException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("saturated");
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void anAsyncCallerJoinsWithoutBlockingAndLooksAgainWhenTheLookupFoundNothing() throws Exception {
    HeldLookup l2Only = new HeldLookup(null);
    Future<@Nullable String> peek = call("k", false, l2Only);
    l2Only.started.await(10, TimeUnit.SECONDS);
    List<Runnable> queued = new CopyOnWriteArrayList<>();

    CompletableFuture<@Nullable String> async =
        flights.loadAsync("k", true, queued::add, (key, load) -> "loaded");

    assertThat(async).isNotDone();
    assertThat(queued).as("joined, not started").isEmpty();
    l2Only.release.countDown();
    assertThat(peek.get(10, TimeUnit.SECONDS)).isNull();
    Eventually.awaitTrue(() -> queued.size() == 1, "its own lookup to be handed to the runner");
    queued.get(0).run();
    assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
  }

  @Test
  void aBatchOwnsTheKeysNobodyLooksUpAndJoinsTheRest() throws Exception {
    HeldLookup l2OnlyOfB = new HeldLookup(null);
    Future<@Nullable String> peekOfB = call("b", false, l2OnlyOfB);
    l2OnlyOfB.started.await(10, TimeUnit.SECONDS);
    List<String> ownedKeys = new CopyOnWriteArrayList<>();
    List<String> retried = new CopyOnWriteArrayList<>();
    Map<String, String> found = new LinkedHashMap<>();

    Future<?> batch =
        threads.submit(
            () ->
                flights.loadAll(
                    List.of("a", "b", "c"),
                    owned -> {
                      owned.forEach(load -> ownedKeys.add(load.key));
                      owned.get(0).complete("a1");
                      owned.get(1).complete(null);
                    },
                    key -> {
                      retried.add(key);
                      return key + "-loaded";
                    },
                    found));
    Eventually.awaitTrue(() -> ownedKeys.size() == 2, "the batch to run");
    assertThat(batch).as("waits for the lookup of b").isNotDone();

    l2OnlyOfB.release.countDown();
    batch.get(10, TimeUnit.SECONDS);

    assertThat(ownedKeys).containsExactly("a", "c");
    assertThat(peekOfB.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(retried).as("b's lookup found nothing and read L2 only").containsExactly("b");
    assertThat(found).containsExactly(Map.entry("a", "a1"), Map.entry("b", "b-loaded"));
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void aBatchThatThrowsStillFinishesEveryLookupItOwned() {
    List<Load<String, String>> owned = new ArrayList<>();

    assertThatThrownBy(
            () ->
                flights.loadAll(
                    List.of("a", "b"),
                    loads -> {
                      owned.addAll(loads);
                      loads.get(0).complete("a1");
                      throw new IllegalStateException("broken batch");
                    },
                    null,
                    new LinkedHashMap<>()))
        .hasMessage("broken batch");

    assertThat(owned.get(0).future).isCompletedWithValue("a1");
    assertThat(owned.get(1).future)
        .isCompletedExceptionally()
        .failsWithin(0, TimeUnit.SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(CacheException.class)
        .withMessageContaining("failed first");
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void aDetachedLookupStillAnswersItsCallersButTheNextCallerStartsAnew() throws Exception {
    HeldLookup old = new HeldLookup("old");
    Future<@Nullable String> reader = call("k", true, old);
    old.started.await(10, TimeUnit.SECONDS);

    flights.detach("k");

    assertThat(old.load.get().detached).isTrue();
    assertThat(flights.load("k", true, (key, load) -> "new")).isEqualTo("new");
    old.release.countDown();
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
  }

  @Test
  void detachMatchingDetachesOnlyTheMatchingKeys() {
    List<Runnable> queued = new ArrayList<>();
    List<Load<String, String>> loads = new ArrayList<>();
    for (String key : List.of("user:1", "user:2", "order:1")) {
      flights.refresh(
          key,
          queued::add,
          (k, load) -> {
            loads.add(load);
            return null;
          },
          null);
    }

    flights.detachMatching(key -> key.startsWith("user:"));

    assertThat(flights.inFlight()).isOne();
    queued.forEach(Runnable::run);
    assertThat(loads)
        .extracting(load -> load.key + "=" + load.detached)
        .containsExactly("user:1=true", "user:2=true", "order:1=false");
  }
}
