package dev.lintel.core.cache;

import dev.lintel.Registration;
import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.RemoteCacheStore;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace's invalidation channel in the shared store ({@code prefix + "invalidations:" +
 * namespace}): publishes this node's writes and invalidations and applies the other nodes' to the
 * local side through a {@link Receiver}.
 *
 * <p>A message is {@code <node id> K<encoded key>} or {@code <node id> P<glob pattern>}. A node
 * ignores its own messages. A message it cannot apply makes it drop everything local, as does a
 * confirmed resubscription after a reconnect (messages sent meanwhile were lost). Publishing never
 * throws: a failed publish is logged by {@link RemoteLevel}. Thread-safe; messages arrive on the
 * store's thread.
 */
final class InvalidationChannel<K> implements AutoCloseable {
  /** Logs under the facade's name, which hosts already tune. */
  private static final Logger log = LoggerFactory.getLogger(TieredCache.class);

  /** What the local side does with other nodes' invalidations. */
  interface Receiver<K> {
    void evict(K key);

    void evictMatching(GlobPattern pattern);

    void evictAll();
  }

  private final RemoteLevel remote;
  private final KeyCodec<K> keys;
  private final String channel;
  private final String nodeId = UUID.randomUUID().toString();
  private final Receiver<K> receiver;
  private final CacheCounters counters;
  private final String namespace;
  private final Registration subscription;

  /** Subscribes at once; {@link #close()} unsubscribes. */
  InvalidationChannel(
      RemoteLevel remote,
      KeyCodec<K> keys,
      String channel,
      Receiver<K> receiver,
      CacheCounters counters,
      String namespace) {
    this.remote = remote;
    this.keys = keys;
    this.channel = channel;
    this.receiver = receiver;
    this.counters = counters;
    this.namespace = namespace;
    this.subscription =
        remote.store.subscribe(
            channel,
            new RemoteCacheStore.Listener() {
              @Override
              public void onMessage(String message) {
                apply(message);
              }

              @Override
              public void onReconnect() {
                log.info(
                    "Cache '{}' reconnected to its shared level; clearing L1, as invalidations"
                        + " may have been missed",
                    namespace);
                receiver.evictAll();
              }
            });
  }

  /** Tells the other nodes to evict a key. */
  void publishKey(K key) {
    publish('K', keys.encode(key));
  }

  /** Tells the other nodes to evict the keys matching a glob pattern. */
  void publishPattern(String pattern) {
    publish('P', pattern);
  }

  private void publish(char kind, String payload) {
    String message = nodeId + ' ' + kind + payload;
    if (remote.tryCall(() -> remote.store.publish(channel, message), "publish an invalidation")) {
      counters.invalidationsSent.increment();
    }
  }

  /** Applies a message from the channel; package-private for tests. */
  void apply(String message) {
    int space = message.indexOf(' ');
    if (space <= 0 || space + 1 >= message.length()) {
      log.warn("Cache '{}' ignores a malformed invalidation message: {}", namespace, message);
      return;
    }
    if (space == nodeId.length() && message.startsWith(nodeId)) {
      return; // our own
    }
    String payload = message.substring(space + 2);
    try {
      switch (message.charAt(space + 1)) {
        case 'K' -> receiver.evict(keys.decode(payload));
        case 'P' -> receiver.evictMatching(GlobPattern.compile(payload));
        default -> {
          log.warn("Cache '{}' ignores an unknown invalidation message: {}", namespace, message);
          return;
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "Cache '{}' cannot apply invalidation '{}'; clearing L1 to stay coherent",
          namespace,
          message,
          e);
      receiver.evictAll();
    }
    counters.invalidationsReceived.increment();
  }

  /** Unsubscribes. */
  @Override
  public void close() {
    subscription.close();
  }
}
