package dev.lintel.jdbc.internal;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Listens on a PostgreSQL {@code NOTIFY} channel on a thread of its own, holding one connection:
 * tells its handler when it listens (first, and again after a lost connection is reopened with
 * backoff, since what was sent meanwhile was not heard), each batch of payloads received, and each
 * loss. pgjdbc's {@code PGConnection.getNotifications(int)} is called reflectively, so that
 * sdk-jdbc needs no driver to compile. Not API.
 */
public final class PostgresListener implements Runnable {
  private static final int RECEIVE_TIMEOUT_MILLIS = 500;
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Opens the connection to listen on. */
  @FunctionalInterface
  public interface Connections {
    /**
     * Opens a connection.
     *
     * @return the connection, closed by the listener
     * @throws SQLException if it cannot
     */
    Connection open() throws SQLException;
  }

  /** What the listener tells. Called on its thread. */
  public interface Handler {
    /**
     * The channel is listened to.
     *
     * @param again true after a lost connection
     */
    void listening(boolean again);

    /**
     * Notifications arrived.
     *
     * @param payloads their payloads, at least one
     */
    void notified(List<String> payloads);

    /**
     * The connection failed; listening starts again after a pause.
     *
     * @param cause the failure
     * @param retryMillis the pause
     */
    void lost(Exception cause, long retryMillis);
  }

  private final Connections connections;
  private final String channel;
  private final Handler handler;
  private final Thread thread;
  private volatile boolean running = true;

  private PostgresListener(
      String threadName, Connections connections, String channel, Handler handler) {
    this.connections = connections;
    this.channel = channel;
    this.handler = handler;
    this.thread = new Thread(this, threadName);
    thread.setDaemon(true);
  }

  /**
   * Starts listening.
   *
   * @param threadName the listening thread's name
   * @param connections opens its connection
   * @param channel the channel, a name the caller validated (it is quoted into {@code LISTEN})
   * @param handler told what happens
   * @return the listener, to stop
   */
  public static PostgresListener start(
      String threadName, Connections connections, String channel, Handler handler) {
    PostgresListener listener = new PostgresListener(threadName, connections, channel, handler);
    listener.thread.start();
    return listener;
  }

  /** Stops listening and waits up to 5 seconds for the thread to end. */
  public void stop() {
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
        execute(connection, "LISTEN \"" + channel + "\"");
        Class<?> type = driverType(connection, "org.postgresql.PGConnection");
        Object pg = connection.unwrap(type);
        Method receive = type.getMethod("getNotifications", int.class);
        Method payload =
            Class.forName("org.postgresql.PGNotification", false, type.getClassLoader())
                .getMethod("getParameter");
        handler.listening(backoffNanos > 0);
        backoffNanos = 0;
        while (running) {
          Object notifications = receive.invoke(pg, RECEIVE_TIMEOUT_MILLIS);
          int count = notifications == null ? 0 : Array.getLength(notifications);
          if (count > 0) {
            List<String> payloads = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
              payloads.add(String.valueOf(payload.invoke(Array.get(notifications, i))));
            }
            handler.notified(payloads);
          }
        }
        execute(connection, "UNLISTEN \"" + channel + "\"");
      } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
        if (!running) {
          return;
        }
        backoffNanos = Math.min(Math.max(backoffNanos * 2, 100_000_000L), MAX_BACKOFF_NANOS);
        handler.lost(cause(e), backoffNanos / 1_000_000);
        LockSupport.parkNanos(backoffNanos);
      }
    }
  }

  /** pgjdbc's type, from the SDK's class loader, else the driver's or the thread's. */
  private static Class<?> driverType(Connection connection, String name)
      throws ClassNotFoundException {
    for (ClassLoader loader :
        new ClassLoader[] {
          PostgresListener.class.getClassLoader(),
          connection.getClass().getClassLoader(),
          Thread.currentThread().getContextClassLoader()
        }) {
      if (loader == null) {
        continue;
      }
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        // try the next loader
      }
    }
    throw new ClassNotFoundException(name + " (pgjdbc) is not visible to Lintel");
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Exception cause(Exception e) {
    return e instanceof InvocationTargetException invocation
            && invocation.getCause() instanceof Exception cause
        ? cause
        : e;
  }
}
