package dev.lintel.jdbc.shard;

import dev.lintel.jdbc.internal.PostgresListener;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the PostgreSQL {@code NOTIFY} that {@link JdbcTopologyStore#publish} sends and runs an
 * action for each publication of its keyspace, and once whenever listening (re)starts, since
 * publications in between were not heard. The listening itself is {@link PostgresListener}'s.
 */
final class TopologyNotifications implements PostgresListener.Handler {
  private static final Logger log = LoggerFactory.getLogger(TopologyNotifications.class);

  private final String keyspace;
  private final Runnable action;
  private volatile @Nullable PostgresListener listening;

  private TopologyNotifications(String keyspace, Runnable action) {
    this.keyspace = keyspace;
    this.action = action;
  }

  /** Starts listening on the channel for publications of the keyspace. */
  static TopologyNotifications start(
      DataSource dataSource, String channel, String keyspace, Runnable action) {
    TopologyNotifications handler = new TopologyNotifications(keyspace, action);
    handler.listening =
        PostgresListener.start(
            "lintel-topology-notifications-" + channel,
            dataSource::getConnection,
            channel,
            handler);
    return handler;
  }

  void stop() {
    PostgresListener started = listening;
    if (started != null) {
      started.stop();
    }
  }

  @Override
  public void listening(boolean again) {
    act(); // what was published while not listening
  }

  @Override
  public void notified(List<String> payloads) {
    if (payloads.contains(keyspace)) {
      act();
    }
  }

  @Override
  public void lost(Exception cause, long retryMillis) {
    log.warn(
        "Lost the topology notifications of '{}' ({}); polling covers it, listening again in {} ms",
        keyspace,
        cause.toString(),
        retryMillis);
  }

  private void act() {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("The action on a topology publication of '{}' failed", keyspace, e);
    }
  }
}
