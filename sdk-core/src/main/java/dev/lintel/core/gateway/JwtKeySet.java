package dev.lintel.core.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A fixed set of verification keys, several at once so that keys can be rotated: a token naming a
 * key id ({@code kid}) is checked with the key of that id (and with keys that have no id), a token
 * without one with every key of its algorithm. Made from {@link JwtKey}s or read from a JWK Set
 * (RFC 7517 §5; RSA keys of 2048 bits or more and P-256 EC keys meant for signatures). Immutable
 * and thread-safe.
 */
public final class JwtKeySet implements JwtKeySource {
  private final List<JwtKey> keys;

  private JwtKeySet(List<JwtKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a key set needs at least one key");
    }
    Set<String> seen = new HashSet<>();
    for (JwtKey key : keys) {
      Objects.requireNonNull(key, "key");
      if (key.keyId() != null && !seen.add(key.algorithm() + " " + key.keyId())) {
        throw new IllegalArgumentException(
            "two " + key.algorithm() + " keys have the key id " + key.keyId());
      }
    }
    this.keys = List.copyOf(keys);
  }

  /**
   * Makes a set of the given keys.
   *
   * @param keys one or more keys; no two of the same algorithm with the same key id
   * @return the set
   * @throws IllegalArgumentException if there is no key or a key id repeats within an algorithm
   */
  public static JwtKeySet of(JwtKey... keys) {
    return new JwtKeySet(List.of(keys));
  }

  /**
   * Makes a set of the given keys.
   *
   * @param keys one or more keys; no two of the same algorithm with the same key id
   * @return the set
   * @throws IllegalArgumentException if there is no key or a key id repeats within an algorithm
   */
  public static JwtKeySet of(List<JwtKey> keys) {
    return new JwtKeySet(new ArrayList<>(keys));
  }

  /**
   * Reads a JWK Set from its JSON text ({@code {"keys": [...]}}). Keys that cannot verify RS256 or
   * ES256 signatures are skipped: other key types and curves, {@code use} other than {@code sig},
   * {@code key_ops} without {@code verify}, another {@code alg}, RSA keys under 2048 bits.
   *
   * @param json the JWK Set
   * @return the set of its usable keys
   * @throws IllegalArgumentException naming the problem if the text is not a JWK Set or has no
   *     usable key (listing why each key was skipped)
   */
  public static JwtKeySet parse(String json) {
    Objects.requireNonNull(json, "json");
    return new JwtKeySet(JwkParser.parse(json.getBytes(StandardCharsets.UTF_8), "JWK Set"));
  }

  /**
   * Reads a JWK Set from a file, as {@link #parse(String)} does.
   *
   * @param file the file, UTF-8 JSON
   * @return the set of its usable keys
   * @throws UncheckedIOException naming the file if it cannot be read
   * @throws IllegalArgumentException naming the file and the problem if it is not a JWK Set or has
   *     no usable key
   */
  public static JwtKeySet read(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the JWK Set file " + file + ": " + e, e);
    }
    return new JwtKeySet(JwkParser.parse(bytes, "JWK Set file " + file));
  }

  /**
   * Returns every key of the set, in the order given.
   *
   * @return the keys, unmodifiable
   */
  public List<JwtKey> keys() {
    return keys;
  }

  @Override
  public List<JwtKey> keys(@Nullable String keyId) {
    if (keyId == null) {
      return keys;
    }
    List<JwtKey> found = new ArrayList<>(2);
    for (JwtKey key : keys) {
      if (key.keyId() == null || keyId.equals(key.keyId())) {
        found.add(key);
      }
    }
    return found;
  }

  /** Whether some key carries exactly this key id. */
  boolean hasKeyId(String keyId) {
    for (JwtKey key : keys) {
      if (keyId.equals(key.keyId())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "JwtKeySet" + keys;
  }
}
