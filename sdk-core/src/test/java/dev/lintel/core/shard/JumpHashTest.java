package dev.lintel.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JumpHashTest {
  private static final int KEYS = 1_000_000;

  @Test
  void matchesThePapersReferenceCode() {
    // Printed by the C function of Lamping and Veach (2014), compiled with g++.
    long[] keys = {
      0L, 1L, 42L, 0xDEADBEEFL, -1L, Long.MIN_VALUE, 0xEF46DB3751D8E999L, 0x0123456789ABCDEFL
    };
    int[] buckets = {1, 2, 10, 100, 1000, 65536, Integer.MAX_VALUE};
    int[][] expected = {
      {0, 0, 0, 0, 0, 0, 0},
      {0, 0, 6, 55, 549, 21134, 262355607},
      {0, 1, 2, 43, 571, 5747, 1603940301},
      {0, 1, 5, 87, 285, 64244, 1452406526},
      {0, 1, 9, 92, 313, 18311, 699554662},
      {0, 1, 5, 84, 453, 53854, 1119800965},
      {0, 1, 7, 40, 332, 21747, 730414282},
      {0, 0, 0, 57, 194, 33301, 1651575352},
    };
    for (int k = 0; k < keys.length; k++) {
      for (int b = 0; b < buckets.length; b++) {
        assertThat(JumpHash.bucket(keys[k], buckets[b]))
            .as("key %x, %d buckets", keys[k], buckets[b])
            .isEqualTo(expected[k][b]);
      }
    }
  }

  @Test
  void spreadsAMillionKeysOverAHundredBucketsEvenly() {
    int[] load = new int[100];
    for (int i = 0; i < KEYS; i++) {
      load[JumpHash.bucket(Xxh64.hashUtf8("customer-" + i), 100)]++;
    }
    double mean = KEYS / 100.0;
    int max = java.util.Arrays.stream(load).max().orElseThrow();
    double chiSquare =
        java.util.Arrays.stream(load).mapToDouble(n -> (n - mean) * (n - mean) / mean).sum();
    // A bucket's load is binomial: sigma = sqrt(10,000) = 1% of the mean, so the fullest of 100
    // buckets sits near +2.5 sigma (1.025) for any uniform hash; 1.01 would need ~6M keys. The
    // bound below is 4 sigma; chi-square with 99 degrees of freedom stays under 150 (p ~ 0.001).
    assertThat(max / mean).isLessThanOrEqualTo(1.04);
    assertThat(chiSquare).isLessThan(150);
  }

  @Test
  void isWithinOnePercentOfTheMeanAtTenMillionKeys() {
    int[] load = new int[100];
    for (long i = 0; i < 10 * KEYS; i++) {
      load[JumpHash.bucket(Xxh64.hashLong(i), 100)]++;
    }
    double mean = 10 * KEYS / 100.0;
    // sigma is 0.32% of the mean here: 1.01 is about 3 sigma for the fullest bucket.
    assertThat(java.util.Arrays.stream(load).max().orElseThrow() / mean).isLessThanOrEqualTo(1.01);
  }

  @Test
  void growingFromNToNPlusOneMovesOneInNPlusOneKeysAndOnlyIntoTheNewBucket() {
    for (int n : new int[] {1, 9, 99, 1023}) {
      int moved = 0;
      for (int i = 0; i < KEYS; i++) {
        long hash = Xxh64.hashUtf8("order-" + i);
        int before = JumpHash.bucket(hash, n);
        int after = JumpHash.bucket(hash, n + 1);
        if (before != after) {
          assertThat(after).as("a moving key goes to the new bucket").isEqualTo(n);
          moved++;
        }
      }
      // Measured, not assumed: within half a percentage point of 1/(n+1) (the binomial sigma at
      // 1M keys is at most 0.05 points, so this is 10 sigma).
      assertThat(moved / (double) KEYS).as("n = %d", n).isCloseTo(1.0 / (n + 1), within(0.005));
    }
  }
}
