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
 * confirmed resubscription after a reconnect (messages sent meanwhile were lost). The loss of the
 * subscription is passed on at once ({@link Receiver#channelLost()}), so that the local side stops
 * trusting L1 while messages may be missed. Publishing never throws: a failed publish is logged by
 * {@link RemoteLevel}. Thread-safe; messages arrive on the store's thread.
 */
final class InvalidationChannel<K> implements AutoCloseable {
  /** Logs under the facade's name, which hosts already tune. */
  private static final Logger log = LoggerFactory.getLogger(TieredCache.class);

  /** What the local side does with other nodes' invalidations. */
  interface Receiver<K> {
    void evict(K key);

    void evictMatching(GlobPattern pattern);

    void evictAll();

    /** The channel went down: messages may be missed from now on. */
    void channelLost();

    /** The channel is back: drop everything local (messages were missed), then trust L1 again. */
    void channelRestored();
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
                    "Cache '{}': invalidation channel back; clearing L1, as invalidations may have"
                        + " been missed",
                    namespace);
                receiver.channelRestored();
              }

              @Override
              public void onDisconnect() {
                log.warn(
                    "Cache '{}': invalidation channel lost; L1 answers only for the stale window"
                        + " until it is back",
                    namespace);
                receiver.channelLost();
              }
            });
  }

  /**
   * Tells the other nodes to evict a key.
   *
   * @return whether the store confirmed the message
   */
  boolean publishKey(K key) {
    return publish('K', keys.encode(key));
  }

  /**
   * Tells the other nodes to evict the keys matching a glob pattern.
   *
   * @return whether the store confirmed the message
   */
  boolean publishPattern(String pattern) {
    return publish('P', pattern);
  }

  /** Sends a message, even while the breaker is open: other nodes must hear of every change. */
  private boolean publish(char kind, String payload) {
    String message = nodeId + ' ' + kind + payload;
    if (remote.tryChange(() -> remote.store.publish(channel, message), "publish an invalidation")) {
      counters.invalidationsSent.increment();
      return true;
    }
    return false;
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
