package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CPU-bound and hand-off variants do the same work: they must give the same answers. */
class PipelineBenchmarkTest {
  private final PipelineBenchmark benchmark = new PipelineBenchmark();
  private final PipelineBenchmark.Items items = new PipelineBenchmark.Items();

  @Test
  void theCpuOnlyVariantsComputeTheSameSum() throws Exception {
    items.setUp();

    long expected = benchmark.cpuOnlyParallelStream(items);

    assertThat(benchmark.cpuOnlyLintel(items)).isEqualTo(expected);
    assertThat(benchmark.cpuOnlyTwoThreadsBound(items)).isEqualTo(expected);
  }

  @Test
  void theHandOffVariantsSeeTheSameItems() throws Exception {
    items.setUp();

    assertThat(benchmark.handOffLintel(items))
        .isEqualTo(benchmark.handOffArrayBlockingQueue(items));
  }
}
