package dev.lintel.core.flags;

/**
 * Unleash's normalized number: MurmurHash3 x86 32-bit of the UTF-8 bytes of {@code group + ":" +
 * id}, read unsigned, modulo a normalizer, plus one. Buckets match Unleash's clients, so cohorts
 * survive a migration in either direction.
 *
 * <p>The bytes are hashed as they are encoded, straight from the two strings: no concatenated
 * string and no byte array, so evaluation allocates nothing.
 */
final class RolloutHash {
  /** Unleash's seed for variant selection ({@code VariantUtil.VARIANT_NORMALIZATION_SEED}). */
  static final int VARIANT_SEED = 86_028_157;

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private RolloutHash() {}

  /** A number in 1..normalizer, stable for the group and id. */
  static int normalized(String group, String id, int normalizer, int seed) {
    return (int) (Integer.toUnsignedLong(murmur3(group, id, seed)) % normalizer) + 1;
  }

  /** MurmurHash3 x86_32 of UTF-8({@code group + ":" + id}). */
  static int murmur3(String group, String id, int seed) {
    int h1 = seed;
    int pending = 0; // bytes not yet mixed, little-endian
    int length = 0; // bytes hashed so far
    for (int part = 0; part < 3; part++) {
      String text = part == 0 ? group : part == 1 ? ":" : id;
      for (int i = 0; i < text.length(); i++) {
        int codePoint = text.codePointAt(i);
        if (Character.isSupplementaryCodePoint(codePoint)) {
          i++;
        }
        int bytes; // the UTF-8 encoding, first byte lowest
        int count;
        if (codePoint < 0x80) {
          bytes = codePoint;
          count = 1;
        } else if (codePoint < 0x800) {
          bytes = (0xc0 | codePoint >> 6) | (0x80 | codePoint & 0x3f) << 8;
          count = 2;
        } else if (codePoint < 0x10000) {
          if (Character.isSurrogate((char) codePoint)) {
            codePoint = '?'; // a lone surrogate: what String.getBytes(UTF_8) writes
            bytes = codePoint;
            count = 1;
          } else {
            bytes =
                (0xe0 | codePoint >> 12)
                    | (0x80 | codePoint >> 6 & 0x3f) << 8
                    | (0x80 | codePoint & 0x3f) << 16;
            count = 3;
          }
        } else {
          bytes =
              (0xf0 | codePoint >> 18)
                  | (0x80 | codePoint >> 12 & 0x3f) << 8
                  | (0x80 | codePoint >> 6 & 0x3f) << 16
                  | (0x80 | codePoint & 0x3f) << 24;
          count = 4;
        }
        for (int b = 0; b < count; b++) {
          pending |= ((bytes >>> (8 * b)) & 0xff) << (8 * (length & 3));
          length++;
          if ((length & 3) == 0) {
            h1 = mixH1(h1, mixK1(pending));
            pending = 0;
          }
        }
      }
    }
    if ((length & 3) != 0) {
      h1 ^= mixK1(pending);
    }
    return fmix(h1 ^ length);
  }

  private static int mixK1(int k1) {
    return Integer.rotateLeft(k1 * C1, 15) * C2;
  }

  private static int mixH1(int h1, int k1) {
    return Integer.rotateLeft(h1 ^ k1, 13) * 5 + 0xe6546b64;
  }

  private static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
