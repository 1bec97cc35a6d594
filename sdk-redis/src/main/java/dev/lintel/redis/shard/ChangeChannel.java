package dev.lintel.redis.shard;

import dev.lintel.Registration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pub/sub channel on which a Redis shard component announces changes: subscribed on first
 * listener, delivering each message to the listeners on a thread of its own (never on Lettuce's
 * event loop, where a listener's blocking Redis call would stall the connection), and delivering
 * null after a resubscription, since messages sent while disconnected were lost.
 */
final class ChangeChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeChannel.class);

  private final RedisClient client;
  private final String channel;
  private final CopyOnWriteArrayList<Consumer<@Nullable String>> listeners =
      new CopyOnWriteArrayList<>();
  private final AtomicBoolean subscribedOnce = new AtomicBoolean();
  private @Nullable StatefulRedisPubSubConnection<String, String> connection;
  private @Nullable ExecutorService delivery;

  ChangeChannel(RedisClient client, String channel) {
    this.client = client;
    this.channel = channel;
  }

  String name() {
    return channel;
  }

  synchronized Registration listen(Consumer<@Nullable String> listener) {
    Objects.requireNonNull(listener, "listener");
    if (connection == null) {
      ExecutorService executor =
          Executors.newSingleThreadExecutor(
              task -> {
                Thread thread = new Thread(task, "lintel-shard-changes-" + channel);
                thread.setDaemon(true);
                return thread;
              });
      StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
      pubSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
              deliver(executor, message);
            }

            @Override
            public void subscribed(String to, long count) {
              if (!subscribedOnce.compareAndSet(false, true)) {
                log.info("Subscription to '{}' restored: anything may have changed", channel);
                deliver(executor, null);
              }
            }
          });
      pubSub.sync().subscribe(channel);
      connection = pubSub;
      delivery = executor;
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void deliver(ExecutorService executor, @Nullable String message) {
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
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    if (delivery != null) {
      delivery.shutdownNow();
      delivery = null;
    }
  }
}
