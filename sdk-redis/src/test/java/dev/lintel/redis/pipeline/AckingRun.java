package dev.lintel.redis.pipeline;

import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.testing.Eventually;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A started pipeline over a stream source whose acknowledging sink takes a while per entry and
 * records every delivery: the entry ids seen and how many deliveries there were.
 */
final class AckingRun {
  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final LongAdder deliveries = new LongAdder();
  final Pipeline pipeline;

  /**
   * Builds and starts the pipeline, and waits until {@code underWay} entries went through.
   *
   * @param source the source
   * @param perEntry how long the sink takes for an entry
   * @param underWay how many entries to wait for
   */
  AckingRun(RedisStreamSource source, Duration perEntry, int underWay) {
    pipeline =
        Pipeline.from(source)
            .to(
                source.acking(
                    entry -> {
                      deliveries.increment();
                      seen.add(entry.id());
                      TimeUnit.NANOSECONDS.sleep(perEntry.toNanos());
                    }))
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    Eventually.awaitTrue(() -> seen.size() >= underWay, "the pipeline to be under way");
  }
}
