package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheBenchmarkTest {

  @Test
  void bothL1VariantsHitTheSameValue() {
    CacheBenchmark benchmark = new CacheBenchmark();
    CacheBenchmark.Local local = new CacheBenchmark.Local();
    CacheBenchmark.Cursor cursor = new CacheBenchmark.Cursor();
    local.setUp();
    try {
      for (int i = 0; i < CacheBenchmark.KEYS; i++) {
        assertThat(benchmark.lintelL1Hit(local, cursor)).isEqualTo(CacheBenchmark.VALUE);
        assertThat(benchmark.caffeineGetIfPresent(local, cursor)).isEqualTo(CacheBenchmark.VALUE);
      }
      assertThat(local.lintel.stats().loads()).as("every read was a hit").isZero();
    } finally {
      local.tearDown();
    }
  }
}
