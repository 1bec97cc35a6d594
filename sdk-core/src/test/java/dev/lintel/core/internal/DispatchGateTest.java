package dev.lintel.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.ShuttingDownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DispatchGateTest {

  @Test
  void closedGateRefusesAndNamesTheWork() {
    DispatchGate gate = new DispatchGate("Test bus");
    gate.close();

    assertThatThrownBy(() -> gate.enter("work"))
        .isInstanceOf(ShuttingDownException.class)
        .hasMessage("Test bus is shutting down and refused java.lang.String; it was not started");
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void nestedWorkOnOneThreadIsCountedAndReleased() {
    DispatchGate gate = new DispatchGate("Test bus");

    gate.enter("outer");
    gate.enter("inner");
    assertThat(gate.inFlight()).isEqualTo(2);
    gate.leave();
    gate.leave();

    assertThat(gate.inFlight()).isZero();
  }

  /**
   * The gate's promise under races: once {@code awaitDrained} returns true, no admitted work is
   * still running and no work is admitted any more. Repeated in many rounds so that closes land at
   * every point of the enter/leave handshake.
   */
  @Test
  void afterDrainNoAdmittedWorkIsStillRunningUnderManyThreads() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 60; round++) {
        DispatchGate gate = new DispatchGate("Test bus");
        AtomicInteger running = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        CountDownLatch started = new CountDownLatch(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          boolean handOff = t % 4 == 0;
          workers.add(
              pool.submit(
                  () -> {
                    started.countDown();
                    while (true) {
                      try {
                        if (handOff) {
                          gate.enterHandedOff("async");
                        } else {
                          gate.enter("sync");
                        }
                      } catch (ShuttingDownException refused) {
                        return;
                      }
                      admitted.incrementAndGet();
                      running.incrementAndGet();
                      Thread.onSpinWait();
                      running.decrementAndGet();
                      finished.incrementAndGet();
                      if (handOff) {
                        gate.leaveHandedOff();
                      } else {
                        gate.leave();
                      }
                    }
                  }));
        }
        started.await();
        gate.close();
        assertThat(gate.awaitDrained(Duration.ofSeconds(10))).isTrue();
        int stillRunning = running.get();
        long admittedAtDrain = admitted.get();
        for (Future<?> worker : workers) {
          worker.get(10, TimeUnit.SECONDS);
        }

        assertThat(stillRunning).as("work running after drain, round %d", round).isZero();
        assertThat(admitted.get()).as("work admitted after drain").isEqualTo(admittedAtDrain);
        assertThat(finished.get()).isEqualTo(admitted.get());
        assertThat(gate.inFlight()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void awaitDrainedGivesUpAtTheTimeoutWhileWorkRuns() {
    DispatchGate gate = new DispatchGate("Test bus");
    gate.enterHandedOff("stuck");
    gate.close();

    assertThat(gate.awaitDrained(Duration.ofMillis(30))).isFalse();
    gate.leaveHandedOff();
    assertThat(gate.awaitDrained(Duration.ofMillis(30))).isTrue();
  }
}
