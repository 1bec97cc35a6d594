package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.testing.TestServers;
import org.junit.jupiter.api.Test;

/** Keeps the L2 cache benchmark honest: both variants read the same values from the real Redis. */
class CacheBenchmarkIT {

  @Test
  void bothL2VariantsReadTheSameValueFromRedis() throws Exception {
    TestServers.redis();
    CacheBenchmark benchmark = new CacheBenchmark();
    CacheBenchmark.Remote remote = new CacheBenchmark.Remote();
    CacheBenchmark.Cursor cursor = new CacheBenchmark.Cursor();
    remote.setUp();
    try {
      for (int i = 0; i < 100; i++) {
        assertThat(benchmark.lintelL2Hit(remote, cursor)).isEqualTo(CacheBenchmark.VALUE);
        assertThat(benchmark.lettuceGet(remote, cursor)).isEqualTo(CacheBenchmark.VALUE);
      }
      assertThat(remote.lintel.stats().l2Hits()).isEqualTo(100);
      assertThat(remote.lintel.stats().loads()).isZero();
    } finally {
      remote.tearDown();
    }
  }
}
