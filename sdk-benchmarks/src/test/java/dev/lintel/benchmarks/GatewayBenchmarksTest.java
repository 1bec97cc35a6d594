package dev.lintel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the gateway benchmarks honest: both sides do their work and agree. */
class GatewayBenchmarksTest {

  @Test
  void bothRateLimitersAdmitAndBothGatewaysAnswer() throws Throwable {
    RateLimitBenchmark limits = new RateLimitBenchmark();
    limits.setUp();
    GatewayBenchmark gateway = new GatewayBenchmark();
    gateway.setUp();
    for (int i = 0; i < 1_000; i++) {
      assertThat(limits.lintel()).isTrue();
      assertThat(limits.bucket4j()).isTrue();
      assertThat(gateway.lintelPipeline().bodyText()).isEqualTo("stock: 42");
      assertThat(gateway.resilience4jBreaker().bodyText()).isEqualTo("stock: 42");
    }
  }
}
