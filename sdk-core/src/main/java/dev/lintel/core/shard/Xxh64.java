package dev.lintel.core.shard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XXH64 (Yann Collet, xxHash 0.8 specification), the 64-bit hash of a key's bytes that the hash
 * strategies route by. It is part of the stored layout: a key's shard depends on it, so it never
 * changes within a major version. Lintel always uses seed 0; the tests check the published vectors
 * of the reference implementation.
 *
 * <p>Besides byte arrays, it hashes a string's UTF-8 encoding and a long's or two longs' big-endian
 * bytes in place, without building the bytes: the same values as {@code hash(s.getBytes(UTF_8))},
 * {@code hash(8 big-endian bytes)}, and no allocation. Stateless and thread-safe.
 */
public final class Xxh64 {
  /*
   * Why XXH64: it is fully specified (xxhash_spec.md), has published test vectors, is fast on short
   * keys (one 8-byte round per word, no per-call state) and passes SMHasher, so jump hash, which
   * needs a uniform 64-bit input, gets one. MurmurHash3's 128-bit variant would also do, but it
   * computes twice the bits we use.
   */
  static final long P1 = 0x9E3779B185EBCA87L;
  static final long P2 = 0xC2B2AE3D27D4EB4FL;
  static final long P3 = 0x165667B19E3779F9L;
  static final long P4 = 0x85EBCA77C2B2AE63L;
  static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Xxh64() {}

  /**
   * Hashes bytes with seed 0.
   *
   * @param bytes the bytes
   * @return XXH64(bytes, 0)
   */
  public static long hash(byte[] bytes) {
    return hash(bytes, 0, bytes.length, 0);
  }

  /**
   * Hashes a slice of bytes with a seed.
   *
   * @param bytes the bytes
   * @param offset the first byte
   * @param length how many bytes
   * @param seed the seed (Lintel routes with 0)
   * @return XXH64(bytes[offset, offset + length), seed)
   * @throws IndexOutOfBoundsException if the slice is outside the array
   */
  public static long hash(byte[] bytes, int offset, int length, long seed) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int i = offset;
    long h;
    if (length >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int limit = end - 32;
      do {
        v1 = round(v1, (long) LONGS.get(bytes, i));
        v2 = round(v2, (long) LONGS.get(bytes, i + 8));
        v3 = round(v3, (long) LONGS.get(bytes, i + 16));
        v4 = round(v4, (long) LONGS.get(bytes, i + 24));
        i += 32;
      } while (i <= limit);
      h = converge(v1, v2, v3, v4);
    } else {
      h = seed + P5;
    }
    h += length;
    while (i + 8 <= end) {
      h = lane(h, (long) LONGS.get(bytes, i));
      i += 8;
    }
    if (i + 4 <= end) {
      h = word(h, (int) INTS.get(bytes, i));
      i += 4;
    }
    while (i < end) {
      h = single(h, bytes[i]);
      i++;
    }
    return avalanche(h);
  }

  /**
   * Hashes the UTF-8 encoding of a string, with seed 0, without encoding it into an array. A lone
   * surrogate counts as {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} writes
   * it.
   *
   * @param text the string
   * @return XXH64(UTF-8(text), 0)
   */
  public static long hashUtf8(String text) {
    // A streaming XXH64 held in local variables: bytes gather into {@code pending} (little-endian)
    // and complete lanes into l0..l3 until a 32-byte stripe is full. At the end, the lanes of an
    // unfinished stripe and the rest are the tail.
    long v1 = P1 + P2;
    long v2 = P2;
    long v3 = 0;
    long v4 = -P1;
    long l0 = 0;
    long l1 = 0;
    long l2 = 0;
    long pending = 0;
    long total = 0; // bytes so far
    int length = text.length();
    for (int c = 0; c < length; c++) {
      int cp = text.charAt(c);
      long bytes; // the encoding, first byte lowest
      int count;
      if (cp < 0x80) {
        bytes = cp;
        count = 1;
      } else if (cp < 0x800) {
        bytes = (0xc0 | cp >> 6) | (0x80 | cp & 0x3f) << 8;
        count = 2;
      } else if (Character.isSurrogate((char) cp)) {
        if (Character.isHighSurrogate((char) cp)
            && c + 1 < length
            && Character.isLowSurrogate(text.charAt(c + 1))) {
          cp = Character.toCodePoint((char) cp, text.charAt(++c));
          bytes =
              (0xf0 | cp >> 18)
                  | (0x80 | cp >> 12 & 0x3f) << 8
                  | (0x80 | cp >> 6 & 0x3f) << 16
                  | (long) (0x80 | cp & 0x3f) << 24;
          count = 4;
        } else {
          bytes = '?';
          count = 1;
        }
      } else {
        bytes = (0xe0 | cp >> 12) | (0x80 | cp >> 6 & 0x3f) << 8 | (0x80 | cp & 0x3f) << 16;
        count = 3;
      }
      for (int b = 0; b < count; b++) {
        pending |= ((bytes >>> (8 * b)) & 0xff) << (8 * (total & 7));
        total++;
        if ((total & 7) == 0) {
          switch ((int) (total >>> 3) & 3) {
            case 1 -> l0 = pending;
            case 2 -> l1 = pending;
            case 3 -> l2 = pending;
            default -> {
              v1 = round(v1, l0);
              v2 = round(v2, l1);
              v3 = round(v3, l2);
              v4 = round(v4, pending);
            }
          }
          pending = 0;
        }
      }
    }
    long h = total >= 32 ? converge(v1, v2, v3, v4) : P5;
    h += total;
    int lanes = (int) (total >>> 3) & 3; // complete lanes of the unfinished stripe
    if (lanes > 0) {
      h = lane(h, l0);
    }
    if (lanes > 1) {
      h = lane(h, l1);
    }
    if (lanes > 2) {
      h = lane(h, l2);
    }
    int rest = (int) (total & 7);
    if (rest >= 4) {
      h = word(h, (int) pending);
      pending >>>= 32;
      rest -= 4;
    }
    for (int b = 0; b < rest; b++) {
      h = single(h, (byte) (pending >>> (8 * b)));
    }
    return avalanche(h);
  }

  /**
   * Hashes a long's 8 big-endian bytes with seed 0, without building them.
   *
   * @param value the value
   * @return XXH64(big-endian bytes of value, 0)
   */
  public static long hashLong(long value) {
    return avalanche(lane(P5 + 8, Long.reverseBytes(value)));
  }

  /**
   * Hashes two longs' 16 big-endian bytes ({@code first} then {@code second}) with seed 0, the
   * bytes of a UUID (most significant bits first).
   *
   * @param first the first 8 bytes
   * @param second the next 8 bytes
   * @return XXH64(big-endian bytes of first and second, 0)
   */
  public static long hashLongs(long first, long second) {
    long h = lane(P5 + 16, Long.reverseBytes(first));
    return avalanche(lane(h, Long.reverseBytes(second)));
  }

  /** The 64-bit finalizer of MurmurHash3 ({@code fmix64}): a bijection that mixes every bit. */
  static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static long round(long acc, long input) {
    return Long.rotateLeft(acc + input * P2, 31) * P1;
  }

  private static long converge(long v1, long v2, long v3, long v4) {
    long h =
        Long.rotateLeft(v1, 1)
            + Long.rotateLeft(v2, 7)
            + Long.rotateLeft(v3, 12)
            + Long.rotateLeft(v4, 18);
    h = (h ^ round(0, v1)) * P1 + P4;
    h = (h ^ round(0, v2)) * P1 + P4;
    h = (h ^ round(0, v3)) * P1 + P4;
    return (h ^ round(0, v4)) * P1 + P4;
  }

  private static long lane(long h, long input) {
    return Long.rotateLeft(h ^ round(0, input), 27) * P1 + P4;
  }

  private static long word(long h, int input) {
    return Long.rotateLeft(h ^ (input & 0xffffffffL) * P1, 23) * P2 + P3;
  }

  private static long single(long h, byte input) {
    return Long.rotateLeft(h ^ (input & 0xff) * P5, 11) * P1;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    return h ^ h >>> 32;
  }
}
