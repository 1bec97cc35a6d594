package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import org.junit.jupiter.api.Test;

class FlagBenchmarkTest {

  @Test
  void theBenchmarkedEvaluationAgreesWithADirectOne() {
    FlagBenchmark benchmark = new FlagBenchmark();
    benchmark.setUp();
    InMemoryFlagStore store = new InMemoryFlagStore();
    store.put(Flag.rollout("new-checkout", 30));
    try (Flags direct = Flags.using(store)) {
      assertThat(benchmark.evaluate())
          .isEqualTo(direct.isEnabled("new-checkout", FlagContext.user("user-4711"), true));
    }
  }
}
