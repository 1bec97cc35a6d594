package dev.lintel.cache;

/**
 * Turns values into bytes for a shared cache level and back. Implementations must be thread-safe
 * and stateless; decoding must reject bytes it cannot read with an exception rather than return a
 * wrong value (the cache then treats the entry as a miss).
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * Encodes a value.
   *
   * @param value the value, never null
   * @return its bytes
   * @throws Exception when the value cannot be encoded
   */
  byte[] encode(V value) throws Exception;

  /**
   * Decodes bytes written by {@link #encode}.
   *
   * @param bytes the bytes
   * @return the value, never null
   * @throws Exception when the bytes are not a valid encoding
   */
  V decode(byte[] bytes) throws Exception;
}
