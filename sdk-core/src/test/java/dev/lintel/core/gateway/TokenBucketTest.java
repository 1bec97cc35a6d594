package dev.lintel.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void aFullBucketGivesItsCapacityThenOneTokenPerInterval() {
    AtomicLong clock = new AtomicLong(5_000_000_000L);
    TokenBucket bucket = TokenBucket.of(3, 10, clock::get); // one token per 100 ms

    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isEqualTo(100_000_000L);

    clock.addAndGet(100_000_000L);
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isPositive();

    clock.addAndGet(10_000_000_000L); // a long pause refills to capacity, not beyond
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryAcquire()).isZero();
    }
    assertThat(bucket.tryAcquire()).isPositive();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> TokenBucket.of(0, 1)).hasMessageContaining("0");
    assertThatThrownBy(() -> TokenBucket.of(1, 0)).hasMessageContaining("positive");
  }
}
