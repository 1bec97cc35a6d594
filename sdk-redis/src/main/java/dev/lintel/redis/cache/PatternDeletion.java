package dev.lintel.redis.cache;

import java.util.List;
import java.util.Map;

/**
 * What a pattern deletion did on each master: how many keys it deleted, which nodes it walked to
 * the end of their key space, and which it could not (with the reason). Only a {@link #complete()}
 * deletion guarantees that no matching key is left (among keys that existed when it started).
 *
 * @param deleted keys deleted across every node
 * @param scannedNodes the masters ({@code host:port}, or {@code standalone}) walked to the end
 * @param failedNodes the masters whose walk failed, with the error
 */
public record PatternDeletion(
    long deleted, List<String> scannedNodes, Map<String, String> failedNodes) {

  /** Copies the collections. */
  public PatternDeletion {
    scannedNodes = List.copyOf(scannedNodes);
    failedNodes = Map.copyOf(failedNodes);
  }

  /**
   * Tells whether every master was walked to the end.
   *
   * @return true when no node failed
   */
  public boolean complete() {
    return failedNodes.isEmpty();
  }
}
