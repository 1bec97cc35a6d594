package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the comparison honest: every variant does the same work and returns the same answer. */
class CommandDispatchBenchmarkTest {

  @Test
  void allVariantsDispatchToTheSameHandlerResult() {
    CommandDispatchBenchmark benchmark = new CommandDispatchBenchmark();
    benchmark.setUp();

    assertThat(benchmark.direct()).isEqualTo(6);
    assertThat(benchmark.lintel()).isEqualTo(6);
    assertThat(benchmark.axon()).isEqualTo(6);
  }
}
