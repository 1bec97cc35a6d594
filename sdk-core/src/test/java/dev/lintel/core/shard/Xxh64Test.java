package dev.lintel.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Xxh64Test {
  private static final long PRIME32 = 2_654_435_761L;

  @Test
  void matchesTheReferenceImplementationsPublishedSanityVectors() {
    // xxHash's own sanity check (cli/xsum_sanity_check.c), over its generated test buffer.
    byte[] buffer = sanityBuffer(222);
    assertThat(Xxh64.hash(buffer, 0, 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(Xxh64.hash(buffer, 0, 0, PRIME32)).isEqualTo(0xAC75FDA2929B17EFL);
    assertThat(Xxh64.hash(buffer, 0, 1, 0)).isEqualTo(0xE934A84ADB052768L);
    assertThat(Xxh64.hash(buffer, 0, 1, PRIME32)).isEqualTo(0x5014607643A9B4C3L);
    assertThat(Xxh64.hash(buffer, 0, 4, 0)).isEqualTo(0x9136A0DCA57457EEL);
    assertThat(Xxh64.hash(buffer, 0, 14, 0)).isEqualTo(0x8282DCC4994E35C8L);
    assertThat(Xxh64.hash(buffer, 0, 14, PRIME32)).isEqualTo(0xC3BD6BF63DEB6DF0L);
    assertThat(Xxh64.hash(buffer, 0, 222, 0)).isEqualTo(0xB641AE8CB691C174L);
    assertThat(Xxh64.hash(buffer, 0, 222, PRIME32)).isEqualTo(0x20CB8AB7AE10C14AL);
  }

  @Test
  void matchesXxhsumOnStrings() {
    // Printed by `printf '%s' TEXT | xxhsum -H1` (xxhsum 0.8.1) and in python-xxhash's README.
    assertThat(Xxh64.hashUtf8("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(Xxh64.hashUtf8("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(Xxh64.hashUtf8("abc")).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(Xxh64.hashUtf8("Nobody inspects the spammish repetition"))
        .isEqualTo(0xFBCEA83C8A378BF1L);
    assertThat(Xxh64.hashUtf8("lintel")).isEqualTo(0xE674C2E7E2C5359EL);
    assertThat(Xxh64.hashUtf8("0123456789abcdef0123456789abcdef")).isEqualTo(0x642A94958E71E6C5L);
    assertThat(Xxh64.hashUtf8("0123456789abcdef0123456789abcdef0123456789"))
        .isEqualTo(0xA76190C3ACF08A1CL);
    assertThat(Xxh64.hashUtf8("héllo 日本 😀")).isEqualTo(0xCE92D4DB34E6A04CL);
  }

  @Test
  void hashingAStringInPlaceEqualsHashingItsUtf8Bytes() {
    SplittableRandom random = new SplittableRandom(7);
    List<String> texts = new ArrayList<>(List.of("x\uD800y", "\uDC00", "a\uD83D", "\uD83D\uDE00"));
    char[] alphabet = {'a', 'Z', '7', 'é', 'ß', '€', '日', '\uD83D', '\uDE00', '\uD800', '\uFFFF'};
    for (int length = 0; length <= 100; length++) {
      for (int repeat = 0; repeat < 5; repeat++) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
          text.append(alphabet[random.nextInt(repeat == 0 ? 3 : alphabet.length)]);
        }
        texts.add(text.toString());
      }
    }
    for (String text : texts) {
      assertThat(Xxh64.hashUtf8(text))
          .as(text)
          .isEqualTo(Xxh64.hash(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void hashesLongsAndUuidsAsTheirBigEndianBytes() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 1_000; i++) {
      long a = random.nextLong();
      long b = random.nextLong();
      assertThat(Xxh64.hashLong(a))
          .isEqualTo(Xxh64.hash(ByteBuffer.allocate(8).putLong(a).array()));
      assertThat(Xxh64.hashLongs(a, b))
          .isEqualTo(Xxh64.hash(ByteBuffer.allocate(16).putLong(a).putLong(b).array()));
    }
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(ShardKeyCodec.uuids().hash(uuid))
        .isEqualTo(Xxh64.hash(ShardKeyCodec.uuids().encode(uuid)));
  }

  @Test
  void hashesASliceAsTheSameBytesAlone() {
    byte[] buffer = sanityBuffer(100);
    for (int offset = 0; offset < 40; offset += 3) {
      for (int length = 0; offset + length <= 100; length += 7) {
        byte[] alone = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        assertThat(Xxh64.hash(buffer, offset, length, 0)).isEqualTo(Xxh64.hash(alone));
      }
    }
  }

  private static byte[] sanityBuffer(int length) {
    byte[] buffer = new byte[length];
    long generator = PRIME32;
    for (int i = 0; i < length; i++) {
      buffer[i] = (byte) (generator >>> 56);
      generator *= 0x9E3779B185EBCA8DL; // the sanity check's generator, 11400714785074694797
    }
    return buffer;
  }
}
