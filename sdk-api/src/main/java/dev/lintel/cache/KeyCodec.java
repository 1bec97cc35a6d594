package dev.lintel.cache;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns keys into the strings a shared cache level and invalidation messages use, and back. The
 * mapping must be one-to-one and stable across processes and versions: it is part of the stored
 * data. Thread-safe.
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

  /**
   * Encodes a key.
   *
   * @param key the key, never null
   * @return its string form
   */
  String encode(K key);

  /**
   * Decodes a string written by {@link #encode}.
   *
   * @param encoded the string form
   * @return the key
   * @throws IllegalArgumentException when the string is not a valid encoding
   */
  K decode(String encoded);

  /**
   * Keys that are strings already.
   *
   * @return the identity codec
   */
  static KeyCodec<String> strings() {
    return of(Function.identity(), Function.identity());
  }

  /**
   * Long keys in decimal.
   *
   * @return the codec
   */
  static KeyCodec<Long> longs() {
    return of(String::valueOf, Long::valueOf);
  }

  /**
   * UUID keys in their canonical form.
   *
   * @return the codec
   */
  static KeyCodec<UUID> uuids() {
    return of(UUID::toString, UUID::fromString);
  }

  /**
   * A codec from two functions.
   *
   * @param encoder key to string, one-to-one
   * @param decoder string to key, the inverse of {@code encoder}
   * @param <K> the key type
   * @return the codec
   */
  static <K> KeyCodec<K> of(Function<K, String> encoder, Function<String, K> decoder) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
    return new KeyCodec<>() {
      @Override
      public String encode(K key) {
        return encoder.apply(key);
      }

      @Override
      public K decode(String encoded) {
        return decoder.apply(encoded);
      }
    };
  }
}
