package dev.lintel.redis.shard;

import dev.lintel.Registration;
import dev.lintel.redis.RedisConnector;
import dev.lintel.redis.internal.ChannelSubscriber;
import dev.lintel.shard.ShardingException;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel on which a Redis shard component announces changes ({@code SUBSCRIBE} on a standalone
 * Redis, sharded {@code SSUBSCRIBE} on a cluster, see {@link ChannelSubscriber}): subscribed on
 * first listener, delivering each message to the listeners on a thread of its own (never on
 * Lettuce's event loop, where a listener's blocking Redis call would stall the connection), and
 * delivering null once a lost subscription is confirmed again, since messages sent meanwhile were
 * lost.
 */
final class ChangeChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeChannel.class);

  private final RedisConnector connector;
  private final String channel;
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();
  private @Nullable ChannelSubscriber subscriber;
  private @Nullable ExecutorService delivery;

  ChangeChannel(RedisConnector connector, String channel) {
    this.connector = connector;
    this.channel = channel;
  }

  String name() {
    return channel;
  }

  /**
   * Adds a listener, subscribing first if it is the first one.
   *
   * @throws ShardingException if the first subscription cannot be confirmed now
   */
  synchronized Registration listen(Consumer<@Nullable String> listener) {
    Objects.requireNonNull(listener, "listener");
    if (subscriber == null) {
      ExecutorService executor =
          Executors.newSingleThreadExecutor(
              task -> {
                Thread thread = new Thread(task, "lintel-shard-changes-" + channel);
                thread.setDaemon(true);
                return thread;
              });
      ChannelSubscriber opened = null;
      try {
        opened =
            ChannelSubscriber.open(
                connector,
                new ChannelSubscriber.Events() {
                  @Override
                  public void message(String from, String message) {
                    deliver(executor, message);
                  }

                  @Override
                  public void lost(String from) {
                    // the subscriber logs it; listeners hear null once it is restored
                  }

                  @Override
                  public void restored(String from) {
                    log.info("Subscription to '{}' restored: anything may have changed", channel);
                    deliver(executor, null);
                  }
                });
        opened.subscribe(channel);
      } catch (RuntimeException e) {
        if (opened != null) {
          opened.close();
        }
        executor.shutdownNow();
        throw new ShardingException("cannot subscribe to Redis channel '" + channel + "'", e);
      }
      subscriber = opened;
      delivery = executor;
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void deliver(ExecutorService executor, @Nullable String message) {
    try {
      executor.execute(
          () -> {
            for (Consumer<@Nullable String> listener : listeners) {
              try {
                listener.accept(message);
              } catch (RuntimeException e) {
                log.warn("A listener of '{}' failed", channel, e);
              }
            }
          });
    } catch (RejectedExecutionException closed) {
      // a message that arrived while the channel closed: nobody listens any more
    }
  }

  @Override
  public synchronized void close() {
    if (subscriber != null) {
      subscriber.close();
      subscriber = null;
    }
    if (delivery != null) {
      delivery.shutdownNow();
      delivery = null;
    }
  }
}
