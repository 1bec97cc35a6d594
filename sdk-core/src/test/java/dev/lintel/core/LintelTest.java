package dev.lintel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.Lifecycle;
import dev.lintel.LintelException;
import dev.lintel.ShuttingDownException;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.Query;
import dev.lintel.health.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LintelTest {
  record Work(int n) implements Command<Integer> {}

  record SlowWork() implements Command<String> {}

  record Ping() implements Query<String> {}

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void cleanUp() {
    release.countDown();
    threads.shutdownNow();
  }

  @Test
  void startsComponentsInOrderAndStopsThemInReverse() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Lintel lintel =
        Lintel.builder()
            .component(new Recording("store", events))
            .component(new Recording("cache", events))
            .component(new Recording("plugins", events))
            .build();

    lintel.start();
    assertThat(lintel.state()).isEqualTo(Lintel.State.RUNNING);
    lintel.close();

    assertThat(events)
        .containsExactly(
            "start store",
            "start cache",
            "start plugins",
            "stop plugins",
            "stop cache",
            "stop store");
    assertThat(lintel.state()).isEqualTo(Lintel.State.STOPPED);
  }

  @Test
  void aComponentThatFailsToStartStopsThoseStartedAndFailsTheStart() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Lintel lintel =
        Lintel.builder()
            .component(new Recording("store", events))
            .component(
                new Recording("cache", events) {
                  @Override
                  public void start() {
                    throw new IllegalStateException("redis unreachable");
                  }
                })
            .component(new Recording("plugins", events))
            .build();

    assertThatThrownBy(lintel::start)
        .isInstanceOf(LintelException.class)
        .hasMessage("Component 'cache' failed to start")
        .hasRootCauseMessage("redis unreachable");
    assertThat(events).containsExactly("start store", "stop store");
    assertThat(lintel.state()).isEqualTo(Lintel.State.STOPPED);
  }

  @Test
  void startingTwiceIsRefused() {
    try (Lintel lintel = Lintel.builder().build().start()) {
      assertThatThrownBy(lintel::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RUNNING");
    }
  }

  @Test
  void readinessIsUpOnlyWhileRunning() {
    Lintel lintel = Lintel.builder().build();
    assertThat(lintel.readiness().status()).isEqualTo(HealthStatus.DOWN);
    assertThat(lintel.readiness().check("lintel").detail()).isEqualTo("runtime is CREATED");

    lintel.start();
    assertThat(lintel.readiness().status()).isEqualTo(HealthStatus.UP);
    assertThat(lintel.liveness().status()).isEqualTo(HealthStatus.UP);
    lintel.close();

    assertThat(lintel.readiness().status()).isEqualTo(HealthStatus.DOWN);
    assertThat(lintel.readiness().check("lintel").detail()).isEqualTo("runtime is STOPPED");
  }

  /**
   * The shutdown contract under load: 16 threads send commands while the runtime closes. Readiness
   * goes DOWN and new commands are refused while a slow command is still in flight; close waits for
   * it; every command that was accepted completed before any component stopped, and every sender
   * was told it was refused rather than dropped.
   */
  @Test
  void gracefulShutdownDrainsEveryAcceptedCommandAndRefusesNewOnes() throws Exception {
    AtomicLong handled = new AtomicLong();
    AtomicLong handledWhenComponentsStopped = new AtomicLong(-1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    Lintel lintel =
        Lintel.builder()
            .shutdownTimeout(Duration.ofSeconds(30))
            .component(
                new Lifecycle() {
                  @Override
                  public void start() {}

                  @Override
                  public void stop() {
                    handledWhenComponentsStopped.set(handled.get());
                  }
                })
            .build()
            .start();
    lintel
        .commands()
        .register(
            Work.class,
            work -> {
              handled.incrementAndGet();
              return work.n() * 2;
            });
    lintel.queries().register(Ping.class, ping -> "pong");
    lintel
        .commands()
        .register(
            SlowWork.class,
            work -> {
              slowStarted.countDown();
              awaitRelease();
              handled.incrementAndGet();
              return "slow done";
            });

    int senders = 16;
    AtomicLong accepted = new AtomicLong();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger wrongResults = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> senderDone = new ArrayList<>();
    for (int t = 0; t < senders; t++) {
      senderDone.add(
          threads.submit(
              () -> {
                go.await();
                for (int i = 0; ; i++) {
                  try {
                    if (lintel.commands().send(new Work(i)) != i * 2) {
                      wrongResults.incrementAndGet();
                    }
                    accepted.incrementAndGet();
                  } catch (ShuttingDownException e) {
                    refused.incrementAndGet();
                    return null;
                  }
                }
              }));
    }
    Future<String> slow = threads.submit(() -> lintel.commands().send(new SlowWork()));
    go.countDown();
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

    Future<?> closing = threads.submit(lintel::close);
    while (lintel.state() != Lintel.State.STOPPING) {
      Thread.onSpinWait();
    }
    for (Future<?> sender : senderDone) {
      sender.get(30, TimeUnit.SECONDS);
    }

    assertThat(lintel.readiness().status()).isEqualTo(HealthStatus.DOWN);
    assertThatThrownBy(() -> lintel.commands().send(new Work(1)))
        .isInstanceOf(ShuttingDownException.class);
    assertThatThrownBy(() -> lintel.queries().ask(new Ping()))
        .isInstanceOf(ShuttingDownException.class);
    assertThat(closing).isNotDone();
    assertThat(handledWhenComponentsStopped).hasValue(-1);

    release.countDown();
    closing.get(30, TimeUnit.SECONDS);

    assertThat(slow.get()).isEqualTo("slow done");
    assertThat(refused).hasValue(senders);
    assertThat(wrongResults).hasValue(0);
    assertThat(handled.get()).isEqualTo(accepted.get() + 1);
    assertThat(handledWhenComponentsStopped).hasValue(handled.get());
    assertThat(lintel.state()).isEqualTo(Lintel.State.STOPPED);
  }

  @Test
  void asyncCommandsInFlightAreDrainedToo() throws Exception {
    Lintel lintel = Lintel.builder().build().start();
    CountDownLatch started = new CountDownLatch(1);
    lintel
        .commands()
        .register(
            SlowWork.class,
            work -> {
              started.countDown();
              awaitRelease();
              return "async done";
            });
    CompletableFuture<String> result = lintel.commands().sendAsync(new SlowWork());
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    Future<?> closing = threads.submit(lintel::close);
    while (lintel.state() != Lintel.State.STOPPING) {
      Thread.onSpinWait();
    }
    assertThat(closing).isNotDone();
    release.countDown();
    closing.get(30, TimeUnit.SECONDS);

    assertThat(result).isCompletedWithValue("async done");
  }

  @Test
  void shutdownStopsWaitingAtTheTimeoutAndStillStopsComponents() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Lintel lintel =
        Lintel.builder()
            .shutdownTimeout(Duration.ofMillis(100))
            .component(new Recording("store", events))
            .build()
            .start();
    CountDownLatch started = new CountDownLatch(1);
    lintel
        .commands()
        .register(
            SlowWork.class,
            work -> {
              started.countDown();
              awaitRelease();
              return "late";
            });
    Future<String> stuck = threads.submit(() -> lintel.commands().send(new SlowWork()));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    lintel.close();

    assertThat(lintel.state()).isEqualTo(Lintel.State.STOPPED);
    assertThat(events).containsExactly("start store", "stop store");
    assertThat(stuck).isNotDone();
    release.countDown();
    assertThat(stuck.get(10, TimeUnit.SECONDS)).isEqualTo("late");
  }

  @Test
  void closeIsIdempotentAndConcurrentClosesStopComponentsOnce() throws Exception {
    AtomicInteger stops = new AtomicInteger();
    Lintel lintel =
        Lintel.builder()
            .component(
                new Lifecycle() {
                  @Override
                  public void start() {}

                  @Override
                  public void stop() {
                    stops.incrementAndGet();
                  }
                })
            .build()
            .start();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> closers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      closers.add(
          threads.submit(
              () -> {
                go.await();
                lintel.close();
                return null;
              }));
    }
    go.countDown();
    for (Future<?> closer : closers) {
      closer.get(10, TimeUnit.SECONDS);
    }
    lintel.close();

    assertThat(stops).hasValue(1);
  }

  @Test
  void aComponentThatFailsToStopDoesNotKeepTheOthersRunning() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Lintel lintel =
        Lintel.builder()
            .component(new Recording("store", events))
            .component(
                new Recording("cache", events) {
                  @Override
                  public void stop() {
                    throw new IllegalStateException("flush failed");
                  }
                })
            .build()
            .start();

    lintel.close();

    assertThat(events).containsExactly("start store", "start cache", "stop store");
    assertThat(lintel.state()).isEqualTo(Lintel.State.STOPPED);
  }

  record Registered(String name) {}

  @Test
  void theDefaultEventStoreIsInMemoryAndAGivenOneIsHandedOut() {
    try (Lintel lintel = Lintel.builder().build().start()) {
      lintel
          .eventStore()
          .append(
              "s-1",
              dev.lintel.eventsourcing.ExpectedVersion.noStream(),
              List.of(dev.lintel.eventsourcing.NewEvent.of(new Registered("ada"))));
      assertThat(lintel.eventStore().readStream("s-1", 1, 10))
          .extracting(dev.lintel.eventsourcing.RecordedEvent::data, e -> e.type())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  new Registered("ada"), Registered.class.getName()));
    }
    dev.lintel.eventsourcing.EventStore given =
        dev.lintel.core.eventsourcing.InMemoryEventStore.create(
            dev.lintel.core.eventsourcing.JacksonEventSerializer.builder().build());
    try (Lintel lintel = Lintel.builder().eventStore(given).build()) {
      assertThat(lintel.eventStore()).isSameAs(given);
    }
    assertThatThrownBy(() -> Lintel.builder().eventStore(given).eventStore(given))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("eventStore was already set");
  }

  @Test
  void builderRejectsBadSettingsAtOnce() {
    assertThatThrownBy(() -> Lintel.builder().shutdownTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was PT-1S");
    assertThatThrownBy(() -> Lintel.builder().healthTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was PT0S");
  }

  private void awaitRelease() {
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static class Recording implements Lifecycle {
    private final String name;
    private final List<String> events;

    Recording(String name, List<String> events) {
      this.name = name;
      this.events = events;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start() {
      events.add("start " + name);
    }

    @Override
    public void stop() {
      events.add("stop " + name);
    }
  }
}
