package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.Subscription;
import dev.lintel.jdbc.internal.PostgresListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a store's PostgreSQL {@code NOTIFY} channel while the store has subscriptions, and
 * wakes them on every notification, so that events appended by other instances arrive without
 * waiting for a poll. One connection of the store's data source is held while listening. A lost
 * connection is logged, wakes the subscriptions (polling covers the gap) and is reopened with
 * backoff; once listening again it wakes them once more, for what was announced meanwhile.
 *
 * <p>The listening itself is {@link PostgresListener}'s. Thread-safe.
 */
final class PostgresNotifications {
  private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);

  private final Transactions.ConnectionSource connections;
  private final String channel;
  private final Runnable wake;
  private int subscriptions;
  private @Nullable Listener listener;

  PostgresNotifications(Transactions.ConnectionSource connections, String channel, Runnable wake) {
    this.connections = connections;
    this.channel = channel;
    this.wake = wake;
  }

  /** Listens for as long as the subscription is open; returns it wrapped to tell when it closes. */
  synchronized Subscription listenWhileOpen(Subscription subscription) {
    if (subscriptions++ == 0) {
      listener = new Listener();
      listener.start();
    }
    return new ListeningSubscription(subscription);
  }

  private void released() {
    Listener stopping;
    synchronized (this) {
      if (--subscriptions > 0 || listener == null) {
        return;
      }
      stopping = listener;
      listener = null;
    }
    stopping.stop();
  }

  /** The listening thread: one per store while it has subscriptions. */
  private final class Listener implements PostgresListener.Handler {
    private @Nullable PostgresListener listening;

    void start() {
      listening =
          PostgresListener.start(
              "lintel-notifications-" + channel, connections::open, channel, this);
    }

    void stop() {
      PostgresListener started = listening;
      if (started != null) {
        started.stop();
      }
    }

    @Override
    public void listening(boolean again) {
      if (again) {
        log.info("Listening on channel '{}' again", channel);
      }
      wake.run(); // what was announced while not listening
    }

    @Override
    public void notified(List<String> payloads) {
      wake.run();
    }

    @Override
    public void lost(Exception cause, long retryMillis) {
      log.warn(
          "Lost the notification connection for channel '{}' ({}); subscriptions poll"
              + " meanwhile, listening again in {} ms",
          channel,
          cause.toString(),
          retryMillis);
      log.debug("Notification connection failure", cause);
      wake.run();
    }
  }

  /** A subscription that stops the listening when the store's last one closes. */
  private final class ListeningSubscription implements Subscription {
    private final Subscription delegate;
    private final AtomicBoolean closed = new AtomicBoolean();

    ListeningSubscription(Subscription delegate) {
      this.delegate = delegate;
    }

    @Override
    public long lastPosition() {
      return delegate.lastPosition();
    }

    @Override
    public boolean isRunning() {
      return delegate.isRunning();
    }

    @Override
    public @Nullable Throwable failure() {
      return delegate.failure();
    }

    @Override
    public void close() {
      delegate.close();
      if (closed.compareAndSet(false, true)) {
        released();
      }
    }
  }
}
