package dev.lintel.core.shard;

import dev.lintel.shard.RangeKeyType;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns shard keys into bytes, the input of the key hash ({@link Xxh64}, seed 0), and, for range
 * strategies, into a long or a string to compare with range boundaries. The bytes are part of the
 * stored layout: a codec must give the same bytes for equal keys in every process and release.
 *
 * <p>The built-in codecs hash in place and allocate nothing: {@link #strings()} (UTF-8), {@link
 * #longs()} (8 bytes big-endian), {@link #uuids()} (16 bytes big-endian, most significant first),
 * {@link #bytes()} (as they are) and {@link #utf8} (a string the key holds, as UTF-8). A codec from
 * {@link #of} builds an array per key. Implementations are thread-safe.
 *
 * @param <K> the key type
 */
public interface ShardKeyCodec<K> {

  /**
   * Returns the key's bytes.
   *
   * @param key the key
   * @return its bytes; the caller does not modify them
   */
  byte[] encode(K key);

  /**
   * Returns the key's 64-bit hash, XXH64 with seed 0 of {@link #encode}. Built-in codecs override
   * it to hash without allocating; an override must return the same value.
   *
   * @param key the key
   * @return the hash
   */
  default long hash(K key) {
    return Xxh64.hash(encode(key));
  }

  /**
   * Tells whether this codec reads keys for range strategies of a key type.
   *
   * @param type the range key type
   * @return true if {@link #rangeLong} or {@link #rangeString} answers for that type
   */
  default boolean supports(RangeKeyType type) {
    return false;
  }

  /**
   * Returns the key as a long, for {@link RangeKeyType#LONG} ranges.
   *
   * @param key the key
   * @return the value compared with the boundaries
   * @throws UnsupportedOperationException if the codec does not support long ranges
   */
  default long rangeLong(K key) {
    throw new UnsupportedOperationException(this + " does not read keys as longs");
  }

  /**
   * Returns the key as a string, for {@link RangeKeyType#STRING} ranges.
   *
   * @param key the key
   * @return the value compared with the boundaries
   * @throws UnsupportedOperationException if the codec does not support string ranges
   */
  default String rangeString(K key) {
    throw new UnsupportedOperationException(this + " does not read keys as strings");
  }

  /**
   * String keys: their UTF-8 bytes; string ranges.
   *
   * @return the codec
   */
  static ShardKeyCodec<String> strings() {
    return KeyCodecs.STRINGS;
  }

  /**
   * Long keys: their 8 big-endian bytes; long ranges.
   *
   * @return the codec
   */
  static ShardKeyCodec<Long> longs() {
    return KeyCodecs.LONGS;
  }

  /**
   * UUID keys: their 16 big-endian bytes, most significant bits first.
   *
   * @return the codec
   */
  static ShardKeyCodec<UUID> uuids() {
    return KeyCodecs.UUIDS;
  }

  /**
   * Byte-array keys, as they are. The arrays must not change while they are routed.
   *
   * @return the codec
   */
  static ShardKeyCodec<byte[]> bytes() {
    return KeyCodecs.BYTES;
  }

  /**
   * Keys identified by a string they hold, such as a record's id: the UTF-8 bytes of that string,
   * hashed in place. Allocation-free when the function is (an accessor is).
   *
   * @param text key to the string that identifies it, stable across releases
   * @param <K> the key type
   * @return the codec
   */
  static <K> ShardKeyCodec<K> utf8(Function<? super K, String> text) {
    Objects.requireNonNull(text, "text");
    return new ShardKeyCodec<>() {
      @Override
      public byte[] encode(K key) {
        return text.apply(key).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public long hash(K key) {
        return Xxh64.hashUtf8(text.apply(key));
      }

      @Override
      public String toString() {
        return "ShardKeyCodec.utf8(" + text + ")";
      }
    };
  }

  /**
   * A codec from a function; it builds an array per key, so routing allocates.
   *
   * @param encoder key to bytes, stable across processes and releases
   * @param <K> the key type
   * @return the codec
   */
  static <K> ShardKeyCodec<K> of(Function<? super K, byte[]> encoder) {
    Objects.requireNonNull(encoder, "encoder");
    return encoder::apply;
  }
}
