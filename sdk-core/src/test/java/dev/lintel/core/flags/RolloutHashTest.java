package dev.lintel.core.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutHashTest {

  @Test
  void bucketsMatchUnleashClients() {
    // The vectors every Unleash client (Node, Java, Go, Ruby, .NET) checks in its own tests.
    assertThat(RolloutHash.normalized("gr1", "123", 100, 0)).isEqualTo(73);
    assertThat(RolloutHash.normalized("groupX", "999", 100, 0)).isEqualTo(25);
    assertThat(RolloutHash.normalized("gr1", "123", 100, RolloutHash.VARIANT_SEED)).isEqualTo(96);
    assertThat(RolloutHash.normalized("groupX", "999", 100, RolloutHash.VARIANT_SEED))
        .isEqualTo(60);
  }

  @Test
  void hashingInPlaceEqualsHashingTheEncodedBytes() {
    for (String id :
        List.of("", "a", "ab", "abc", "abcd", "héllo", "日本語", "😀 emoji", "x\uD800y")) {
      byte[] bytes = ("flag:" + id).getBytes(StandardCharsets.UTF_8);
      assertThat(RolloutHash.murmur3("flag", id, 0)).as(id).isEqualTo(reference(bytes, 0));
      assertThat(RolloutHash.murmur3("flag", id, 42)).as(id).isEqualTo(reference(bytes, 42));
    }
  }

  /** MurmurHash3_x86_32 over a byte array, written from the reference C code. */
  private static int reference(byte[] data, int seed) {
    int h1 = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k1 =
          (data[4 * i] & 0xff)
              | (data[4 * i + 1] & 0xff) << 8
              | (data[4 * i + 2] & 0xff) << 16
              | (data[4 * i + 3] & 0xff) << 24;
      k1 *= 0xcc9e2d51;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= 0x1b873593;
      h1 ^= k1;
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int k1 = 0;
    int tail = blocks * 4;
    int rest = data.length & 3;
    if (rest == 3) {
      k1 ^= (data[tail + 2] & 0xff) << 16;
    }
    if (rest >= 2) {
      k1 ^= (data[tail + 1] & 0xff) << 8;
    }
    if (rest >= 1) {
      k1 ^= data[tail] & 0xff;
      k1 *= 0xcc9e2d51;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= 0x1b873593;
      h1 ^= k1;
    }
    h1 ^= data.length;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }

  @Test
  void knownMurmurVectors() {
    // Hash of "" with seed 0 is 0; of "1" is 2484513939 (SMHasher-compatible implementations).
    assertThat(reference(new byte[0], 0)).isZero();
    assertThat(Integer.toUnsignedLong(reference("1".getBytes(StandardCharsets.UTF_8), 0)))
        .isEqualTo(2484513939L);
  }
}
