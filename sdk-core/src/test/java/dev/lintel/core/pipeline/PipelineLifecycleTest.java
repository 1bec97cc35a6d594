package dev.lintel.core.pipeline;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.health.HealthStatus;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(
    value = 2,
    unit = java.util.concurrent.TimeUnit.MINUTES) // a hang fails, not stalls the build
class PipelineLifecycleTest {

  @Test
  void lintelStartsThePipelineAndItsShutdownDrainsInFlightItemsAndFlushesThePartialBatch()
      throws Exception {
    BlockingQueue<Integer> input = new LinkedBlockingQueue<>();
    List<List<Integer>> saved = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch enriching = new CountDownLatch(3);
    CountDownLatch mayFinish = new CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.from(Sources.of(input))
            .mapAsync(
                8,
                n -> {
                  enriching.countDown();
                  mayFinish.await();
                  return n * 10;
                })
            .batch(100, Duration.ofHours(1))
            .to(saved::add)
            .name("orders")
            .progressInterval(Duration.ZERO)
            .build();
    Lintel lintel = Lintel.builder().pipeline(pipeline).build().start();
    assertThat(pipeline.state()).isEqualTo(PipelineState.RUNNING);
    assertThat(lintel.readiness().status()).isEqualTo(HealthStatus.UP);

    input.addAll(List.of(1, 2, 3));
    enriching.await();
    Thread closing = new Thread(lintel::close);
    closing.start();
    awaitTrue(() -> pipeline.state() == PipelineState.DRAINING, "the pipeline to drain");
    mayFinish.countDown(); // the three items in flight finish during the drain
    closing.join();

    assertThat(saved).hasSize(1); // one partial batch, flushed by the shutdown
    assertThat(saved.get(0)).containsExactlyInAnyOrder(10, 20, 30);
    PipelineProgress result = pipeline.awaitCompletion();
    assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
    assertThat(result.processed()).isEqualTo(3);
    assertThat(result.balanced()).isTrue();
  }

  /** 1,000 items whose four workers block forever, so a drain can only run out of time. */
  private static Pipeline stuckPipeline(Duration drainTimeout) {
    CountDownLatch never = new CountDownLatch(1);
    return Pipeline.from(java.util.stream.IntStream.range(0, 1_000).boxed())
        .mapAsync(
            4,
            n -> {
              never.await();
              return n;
            })
        .to(n -> {})
        .drainTimeout(drainTimeout)
        .progressInterval(Duration.ZERO)
        .build();
  }

  @Test
  void aDrainThatRunsOutOfTimeCancelsAndLeavesTheAbandonedItemsOutOfTheBalance() {
    Pipeline pipeline = stuckPipeline(Duration.ofMillis(10));
    pipeline.start();
    awaitTrue(() -> pipeline.progress().stages().get(1).busy() == 4, "the workers to block");

    pipeline.close();

    PipelineProgress result = pipeline.awaitCompletion();
    assertThat(result.state()).isEqualTo(PipelineState.CANCELLED);
    assertThat(result.processed()).isZero();
    assertThat(result.inFlight()).isEqualTo(result.read()).isPositive();
    assertThat(pipeline.health().status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void theRuntimesShutdownDeadlineBoundsTheDrainEvenWhenThePipelineWouldWaitLonger() {
    Pipeline pipeline = stuckPipeline(Duration.ofMinutes(10));
    Lintel lintel =
        Lintel.builder().pipeline(pipeline).shutdownTimeout(Duration.ofMillis(200)).build().start();
    awaitTrue(() -> pipeline.progress().stages().get(1).busy() == 4, "the workers to block");

    long begin = System.nanoTime();
    lintel.close();
    long tookMillis = (System.nanoTime() - begin) / 1_000_000;

    assertThat(tookMillis).isLessThan(Duration.ofMinutes(1).toMillis()); // not the 10 min drain
    PipelineProgress result = pipeline.awaitCompletion();
    assertThat(result.state()).isEqualTo(PipelineState.CANCELLED);
    assertThat(result.inFlight()).isEqualTo(result.read()).isPositive();
  }

  @Test
  void healthNamesTheStageThatMadeNoProgressWhileItemsWait() {
    ManualTimeSource time = ManualTimeSource.create();
    CountDownLatch release = new CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.from(java.util.stream.IntStream.range(0, 100).boxed())
            .parallel(2, n -> n)
            .named("transform")
            .to(
                n -> {
                  release.await();
                })
            .sinkNamed("save")
            .stuckAfter(Duration.ofSeconds(30))
            .timeSource(time)
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    try {
      awaitTrue(() -> pipeline.progress().stages().get(2).busy() == 1, "the sink to block");
      assertThat(pipeline.health().status()).isEqualTo(HealthStatus.UP);

      time.advance(Duration.ofSeconds(31));

      assertThat(pipeline.health().status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(pipeline.health().detail())
          .startsWith("stage 'save' made no progress for 31 s with ");
    } finally {
      release.countDown();
    }
    assertThat(pipeline.awaitCompletion().processed()).isEqualTo(100);
    assertThat(pipeline.health().status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void progressGoesToTheListenerAtTheIntervalAndOnceAtTheEnd() {
    List<PipelineProgress> reports = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch twoReports = new CountDownLatch(2);
    AtomicInteger n = new AtomicInteger();

    PipelineProgress result =
        Pipeline.from(java.util.stream.IntStream.range(0, 10).boxed())
            .to(
                item -> {
                  if (n.incrementAndGet() == 5) {
                    twoReports.await(); // holds the run until two periodic reports were made
                  }
                })
            .progressInterval(Duration.ofMillis(5))
            .progressListener(
                progress -> {
                  reports.add(progress);
                  twoReports.countDown();
                })
            .build()
            .run();

    assertThat(reports.size()).isGreaterThanOrEqualTo(3);
    assertThat(reports.get(0).state()).isEqualTo(PipelineState.RUNNING);
    assertThat(reports.get(reports.size() - 1)).isEqualTo(result);
    assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
  }
}
