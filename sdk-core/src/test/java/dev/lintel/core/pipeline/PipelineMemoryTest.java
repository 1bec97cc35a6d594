package dev.lintel.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ten million items through a sink slower than the source: the heap in use after a collection,
 * sampled while the run goes on, stays within the configured buffers, not the input's size.
 */
@Timeout(
    value = 2,
    unit = java.util.concurrent.TimeUnit.MINUTES) // a hang fails, not stalls the build
class PipelineMemoryTest {
  private static final Logger log = LoggerFactory.getLogger(PipelineMemoryTest.class);
  private static final long ITEMS = 10_000_000;
  private static final int PAYLOAD = 100;

  record Item(long id, byte[] payload) {}

  /** Makes items on demand, so the input itself takes no memory. */
  static final class Generated implements Iterator<Item> {
    private long next;

    @Override
    public boolean hasNext() {
      return next < ITEMS;
    }

    @Override
    public Item next() {
      return new Item(next++, new byte[PAYLOAD]);
    }
  }

  @Test
  void tenMillionItemsThroughASlowSinkKeepTheHeapFlat() throws Exception {
    long baseline = usedAfterGc();
    AtomicLong peak = new AtomicLong();
    AtomicLong samples = new AtomicLong();
    AtomicLong sunk = new AtomicLong();
    AtomicLong mostInFlight = new AtomicLong();

    Pipeline pipeline =
        Pipeline.from(new Generated())
            .map(item -> item)
            .parallel(2, item -> item.id())
            .batch(1_000, Duration.ofMillis(50))
            .to(
                batch -> {
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a slow database
                  sunk.addAndGet(batch.size());
                })
            .name("memory")
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    while (pipeline.awaitCompletion(Duration.ofMillis(500)) == null) {
      PipelineProgress now = pipeline.progress();
      mostInFlight.accumulateAndGet(now.inFlight(), Math::max);
      peak.accumulateAndGet(usedAfterGc() - baseline, Math::max);
      samples.incrementAndGet();
    }
    PipelineProgress result = pipeline.awaitCompletion();

    log.info(
        "{} items, {} heap samples: peak heap above baseline {} KiB, most items in flight {}",
        result.read(),
        samples.get(),
        peak.get() / 1024,
        mostInFlight.get());
    assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
    assertThat(result.read()).isEqualTo(ITEMS);
    assertThat(sunk.get()).isEqualTo(ITEMS);
    assertThat(samples.get()).isGreaterThanOrEqualTo(5);
    // the buffers: parallel input 256 + 2 workers each holding 1 and taking up to 32 at once,
    // batch input 256 + 64 taken at once + 1,000 collecting, sink input 256 batches of 1,000 + 64
    // taken at once + 1 in the sink, + 1 held by the source
    long bound = 256 + 2 * (1 + 32) + 256 + 64 + 1_000 + (256 + 64 + 1) * 1_000 + 1;
    assertThat(mostInFlight.get()).isLessThanOrEqualTo(bound);
    // each item retains ~150 bytes: 10 million of them would be about 1.5 GB. The buffers hold
    // at most ~323,000 items, ~50 MB; allow for that plus measuring noise.
    assertThat(peak.get()).isLessThan(96L * 1024 * 1024);
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
