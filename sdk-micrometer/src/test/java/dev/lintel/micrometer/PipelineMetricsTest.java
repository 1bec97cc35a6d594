package dev.lintel.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.ErrorPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {

  @Test
  void pipelineMetersCountWhereItemsEndedAndWhatEachStageDid() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
    Pipeline pipeline =
        Pipeline.from(IntStream.range(0, 1_000).boxed().toList().iterator())
            .parallel(
                2,
                n -> {
                  if (n % 100 == 0) {
                    throw new IllegalArgumentException("bad " + n);
                  }
                  return n;
                })
            .onError(ErrorPolicy.skip())
            .to(out::add)
            .name("import")
            .progressInterval(Duration.ZERO)
            .build();
    LintelMetrics metrics = LintelMetrics.builder().pipeline(pipeline).build();
    metrics.bindTo(registry);
    assertThat(counter(registry, "read")).isZero();

    pipeline.run();

    assertThat(counter(registry, "read")).isEqualTo(1_000);
    assertThat(counter(registry, "processed")).isEqualTo(990);
    assertThat(counter(registry, "skipped")).isEqualTo(10);
    assertThat(
            registry
                .find("lintel.pipeline.stage.failures")
                .tag("pipeline", "import")
                .functionCounters())
        .extracting(c -> c.count())
        .contains(10.0);
    assertThat(registry.find("lintel.pipeline.stage.queued").gauges())
        .allSatisfy(gauge -> assertThat(gauge.value()).isZero());
    assertThat(out).hasSize(990);

    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  private static double counter(SimpleMeterRegistry registry, String result) {
    return registry
        .get("lintel.pipeline.items")
        .tags(
            List.of(
                io.micrometer.core.instrument.Tag.of("pipeline", "import"),
                io.micrometer.core.instrument.Tag.of("result", result)))
        .functionCounter()
        .count();
  }
}
