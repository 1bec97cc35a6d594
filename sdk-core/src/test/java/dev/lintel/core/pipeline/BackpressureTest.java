package dev.lintel.core.pipeline;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.pipeline.Overflow;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(
    value = 2,
    unit = java.util.concurrent.TimeUnit.MINUTES) // a hang fails, not stalls the build
class BackpressureTest {

  /** An endless source that counts what was taken from it. */
  static final class Endless implements Iterator<Long> {
    final AtomicLong taken = new AtomicLong();

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Long next() {
      return taken.getAndIncrement();
    }
  }

  @Test
  void aBlockedSinkStopsTheSourceOnceEveryBufferIsFull() throws Exception {
    Endless source = new Endless();
    CountDownLatch release = new CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.from(source)
            .mapAsync(4, n -> n)
            .buffer(10)
            .batch(5, Duration.ofHours(1))
            .buffer(7)
            .to(
                batch -> {
                  release.await();
                })
            .sinkBuffer(3)
            .drainTimeout(Duration.ZERO)
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    try {
      awaitTrue(
          () -> {
            PipelineProgress p = pipeline.progress();
            return p.stages().get(3).queued() == 3 && p.stages().get(1).queued() == 10;
          },
          "every input to fill");
      long readWhenFull = source.taken.get();
      // room: source holds 1, mapAsync input 10 + 4 workers, batch input 7 + 5 collecting
      // (+1 being emitted), sink input 3 batches of 5 + 1 batch in the sink
      long bound = 1 + 10 + 4 + 7 + 5 + 1 + (3 + 1) * 5;
      assertThat(readWhenFull).isLessThanOrEqualTo(bound);
      assertThat(pipeline.progress().inFlight()).isLessThanOrEqualTo(bound);
      // still full and still bounded after the stages had every chance to run
      TimeUnit.MILLISECONDS.sleep(50);
      assertThat(source.taken.get()).isLessThanOrEqualTo(bound);
    } finally {
      pipeline.cancel();
      release.countDown();
    }
    assertThat(pipeline.awaitCompletion().state()).isEqualTo(PipelineState.CANCELLED);
  }

  @Test
  void aDroppingStageCountsWhatItDropsAndTheBalanceHolds() {
    CountDownLatch slow = new CountDownLatch(1);
    AtomicInteger seen = new AtomicInteger();

    PipelineProgress result =
        Pipeline.from(java.util.stream.LongStream.range(0, 5_000).boxed())
            .map(
                n -> {
                  if (n == 4_999) {
                    slow.countDown(); // the source read everything: let the worker go on
                  }
                  return n;
                })
            .parallel(
                1,
                n -> {
                  if (n == 0) {
                    slow.await(); // holds the only worker while the source floods its input
                  }
                  return n;
                })
            .buffer(8)
            .overflow(Overflow.DROP)
            .to(n -> seen.incrementAndGet())
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.read()).isEqualTo(5_000);
    assertThat(result.dropped()).isPositive();
    assertThat(result.stages().get(2))
        .extracting(StageProgress::dropped)
        .isEqualTo(result.dropped());
    assertThat(result.processed()).isEqualTo(seen.get());
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void mapAsyncNeverRunsMoreThanItsConcurrencyAndUsesAllOfIt() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch full = new CountDownLatch(1);

    PipelineProgress result =
        Pipeline.from(java.util.stream.IntStream.range(0, 3_000).boxed())
            .mapAsync(
                50,
                n -> {
                  int now = inside.incrementAndGet();
                  most.accumulateAndGet(now, Math::max);
                  if (now == 50) {
                    full.countDown();
                  }
                  full.await(); // nobody leaves before all 50 were inside at once
                  inside.decrementAndGet();
                  return n;
                })
            .to(n -> {})
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(most.get()).isEqualTo(50);
    assertThat(result.processed()).isEqualTo(3_000);
  }

  @Test
  void ioStagesRunOnVirtualThreadsWhenTheJdkHasThem() throws Exception {
    java.util.Set<Boolean> virtual = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.lang.reflect.Method isVirtual = null;
    try {
      isVirtual = Thread.class.getMethod("isVirtual");
    } catch (NoSuchMethodException onJdk17) {
      // no virtual threads
    }
    java.lang.reflect.Method probe = isVirtual;
    Pipeline.from(java.util.stream.IntStream.range(0, 100).boxed())
        .mapAsync(
            8,
            n -> {
              virtual.add(probe != null && (Boolean) probe.invoke(Thread.currentThread()));
              return n;
            })
        .to(n -> {})
        .progressInterval(Duration.ZERO)
        .build()
        .run();

    assertThat(virtual).containsExactly(WorkerThreads.virtualThreadsAvailable());
    assertThat(WorkerThreads.virtualThreadsAvailable())
        .isEqualTo(Runtime.version().feature() >= 21);
  }
}
