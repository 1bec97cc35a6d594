package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** XFetch's decision, with the random draw fixed: refresh when now − δ·β·ln(r) ≥ expiry. */
class EarlyRefreshTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final ManualTimeSource time = ManualTimeSource.create();

  /** Loaded at 0 in {@code computeSeconds}, expiring at 100 s. */
  private static TimedValue loadedIn(long computeSeconds) {
    return new TimedValue("v", 100 * SECOND, 100 * SECOND, computeSeconds * SECOND);
  }

  @Test
  void aHitRefreshesOnceExpiryIsWithinDeltaTimesBetaTimesTheDraw() {
    double drawOfOne = Math.exp(-1); // -ln(r) = 1
    EarlyRefresh beta1 = new EarlyRefresh(1.0, time, () -> drawOfOne);
    EarlyRefresh beta2 = new EarlyRefresh(2.0, time, () -> drawOfOne);
    TimedValue entry = loadedIn(3);

    time.advance(Duration.ofMillis(93_900));
    assertThat(beta1.isDue(entry)).as("6.1 s left, 3 s gap").isFalse();
    assertThat(beta2.isDue(entry)).as("6.1 s left, 6 s gap").isFalse();

    time.advance(Duration.ofMillis(200));
    assertThat(beta1.isDue(entry)).as("5.9 s left, 3 s gap").isFalse();
    assertThat(beta2.isDue(entry)).as("5.9 s left, 6 s gap").isTrue();

    time.advance(Duration.ofMillis(2_800));
    assertThat(beta1.isDue(entry)).as("3.1 s left, 3 s gap").isFalse();

    time.advance(Duration.ofMillis(200));
    assertThat(beta1.isDue(entry)).as("2.9 s left, 3 s gap").isTrue();
  }

  @Test
  void slowerLoadsRefreshEarlier() {
    EarlyRefresh refresh = new EarlyRefresh(1.0, time, () -> Math.exp(-1));
    time.advance(Duration.ofSeconds(90));

    assertThat(refresh.isDue(loadedIn(9))).as("10 s left, 9 s gap").isFalse();
    assertThat(refresh.isDue(loadedIn(11))).as("10 s left, 11 s gap").isTrue();
  }

  @Test
  void aLuckyDrawLeavesTheEntryToExpireOnItsOwn() {
    EarlyRefresh refresh = new EarlyRefresh(1.0, time, () -> 0.999_999_999);
    TimedValue entry = loadedIn(10);

    time.advance(Duration.ofSeconds(99));
    assertThat(refresh.isDue(entry)).isFalse();

    time.advance(Duration.ofSeconds(1));
    assertThat(refresh.isDue(entry)).isTrue();
  }

  @Test
  void theDrawComesFromTheGivenSourceEachHit() {
    double[] draws = {0.999_999, Math.exp(-20)}; // gaps of about 0 s and 20 s
    int[] next = {0};
    EarlyRefresh refresh = new EarlyRefresh(1.0, time, () -> draws[next[0]++]);
    time.advance(Duration.ofSeconds(85));

    assertThat(refresh.isDue(loadedIn(1))).isFalse();
    assertThat(refresh.isDue(loadedIn(1))).isTrue();
  }
}
