package dev.lintel.core.gateway;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link JwtAuthFilter} finds the keys that may verify a token: a fixed {@link JwtKeySet} or
 * a {@link RemoteJwkSet} fetched from an identity provider. Implementations must be thread-safe.
 */
public interface JwtKeySource {
  /**
   * Returns the keys that may verify a token naming this key id: the keys with that id, and the
   * keys that have no id; for a token without a key id, every key. The filter then uses only those
   * of the token's algorithm. May block to fetch keys.
   *
   * @param keyId the token's {@code kid} header, or null if it has none
   * @return the candidate keys, empty if none fits
   * @throws RuntimeException if no keys can be had at all (the filter refuses the token as {@link
   *     JwtAuthFilter.Reason#KEYS_UNAVAILABLE})
   */
  List<JwtKey> keys(@Nullable String keyId);
}
