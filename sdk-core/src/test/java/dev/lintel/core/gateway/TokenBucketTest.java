package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void aFullBucketGivesItsCapacityThenOneTokenPerInterval() {
    ManualTimeSource time = ManualTimeSource.create().advance(Duration.ofSeconds(5));
    TokenBucket bucket = TokenBucket.of(3, 10, time); // one token per 100 ms

    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isEqualTo(100_000_000L);

    time.advance(Duration.ofMillis(100));
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isPositive();

    time.advance(Duration.ofSeconds(10)); // a long pause refills to capacity, not beyond
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryAcquire()).isZero();
    }
    assertThat(bucket.tryAcquire()).isPositive();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> TokenBucket.of(0, 1)).hasMessageContaining("0");
    assertThatThrownBy(() -> TokenBucket.of(1, 0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> TokenBucket.of(1, 1, null)).hasMessageContaining("timeSource");
  }
}
