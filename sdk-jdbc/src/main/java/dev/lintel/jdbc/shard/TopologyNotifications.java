package dev.lintel.jdbc.shard;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL for the {@code NOTIFY} that {@link JdbcTopologyStore#publish} sends, on a
 * thread holding one connection, and runs an action for each publication of its keyspace: once when
 * listening starts (and again after a lost connection is back), since publications in between were
 * not heard. pgjdbc's {@code PGConnection.getNotifications(int)} is called reflectively, so that
 * sdk-jdbc needs no driver to compile.
 */
final class TopologyNotifications implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(TopologyNotifications.class);
  private static final int RECEIVE_MILLIS = 250;
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final DataSource dataSource;
  private final String channel;
  private final String keyspace;
  private final Runnable action;
  private final Thread thread;
  private volatile boolean running = true;

  TopologyNotifications(DataSource dataSource, String channel, String keyspace, Runnable action) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.keyspace = keyspace;
    this.action = action;
    this.thread = new Thread(this, "lintel-topology-notifications-" + channel);
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    long backoffNanos = 0;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN \"" + channel + "\"");
        }
        Class<?> type = driverType(connection, "org.postgresql.PGConnection");
        Object pg = connection.unwrap(type);
        Method receive = type.getMethod("getNotifications", int.class);
        Method payload =
            Class.forName("org.postgresql.PGNotification", false, type.getClassLoader())
                .getMethod("getParameter");
        backoffNanos = 0;
        act(); // what was published while not listening
        while (running) {
          Object notifications = receive.invoke(pg, RECEIVE_MILLIS);
          int count = notifications == null ? 0 : Array.getLength(notifications);
          for (int i = 0; i < count; i++) {
            if (keyspace.equals(payload.invoke(Array.get(notifications, i)))) {
              act();
              break;
            }
          }
        }
      } catch (Exception e) {
        if (!running) {
          return;
        }
        backoffNanos = Math.min(Math.max(backoffNanos * 2, 100_000_000L), MAX_BACKOFF_NANOS);
        log.warn(
            "Lost the topology notifications of '{}' ({}); polling covers it, listening again in"
                + " {} ms",
            keyspace,
            e.toString(),
            backoffNanos / 1_000_000);
        LockSupport.parkNanos(backoffNanos);
      }
    }
  }

  /** pgjdbc's type, from the SDK's class loader, else the driver's or the thread's. */
  private static Class<?> driverType(Connection connection, String name)
      throws ClassNotFoundException {
    for (ClassLoader loader :
        new ClassLoader[] {
          TopologyNotifications.class.getClassLoader(),
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

  private void act() {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("The action on a topology publication of '{}' failed", keyspace, e);
    }
  }
}
