package dev.lintel.jdbc.eventsourcing;

import dev.lintel.eventsourcing.Subscription;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Uses pgjdbc's {@code PGConnection.getNotifications(int)} reflectively, so that sdk-jdbc needs
 * no driver at compile time. Thread-safe.
 */
final class PostgresNotifications {
  private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
  private static final int RECEIVE_TIMEOUT_MILLIS = 500;
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

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
      listener.thread.start();
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
  private final class Listener implements Runnable {
    final Thread thread = new Thread(this, "lintel-notifications-" + channel);
    private volatile boolean running = true;

    Listener() {
      thread.setDaemon(true);
    }

    void stop() {
      running = false;
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      long backoffNanos = 0;
      while (running) {
        try (Connection connection = connections.open()) {
          connection.setAutoCommit(true);
          try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN \"" + channel + "\"");
          }
          Class<?> type = pgConnectionType();
          Object pg = connection.unwrap(type);
          Method receive = type.getMethod("getNotifications", int.class);
          if (backoffNanos > 0) {
            log.info("Listening on channel '{}' again", channel);
          }
          backoffNanos = 0;
          wake.run(); // what was announced while not listening
          while (running) {
            Object notifications = receive.invoke(pg, RECEIVE_TIMEOUT_MILLIS);
            if (notifications != null && Array.getLength(notifications) > 0) {
              wake.run();
            }
          }
          statement(connection, "UNLISTEN \"" + channel + "\"");
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
          if (!running) {
            return;
          }
          backoffNanos = Math.min(Math.max(backoffNanos * 2, 100_000_000L), MAX_BACKOFF_NANOS);
          log.warn(
              "Lost the notification connection for channel '{}' ({}); subscriptions poll"
                  + " meanwhile, listening again in {} ms",
              channel,
              cause(e).toString(),
              backoffNanos / 1_000_000);
          log.debug("Notification connection failure", cause(e));
          wake.run();
          LockSupport.parkNanos(backoffNanos);
        }
      }
    }

    /** pgjdbc's interface, from SDK's class loader or else the thread's (an application server). */
    private Class<?> pgConnectionType() throws ClassNotFoundException {
      String name = "org.postgresql.PGConnection";
      try {
        return Class.forName(name, false, PostgresNotifications.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context == null) {
          throw e;
        }
        return Class.forName(name, false, context);
      }
    }

    private void statement(Connection connection, String sql) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }

    private Throwable cause(Exception e) {
      return e instanceof InvocationTargetException invocation && invocation.getCause() != null
          ? invocation.getCause()
          : e;
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
