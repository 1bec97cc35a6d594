package dev.lintel.jdbc.shard;

import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardingException;
import java.util.Map;
import javax.sql.DataSource;

/** The host's data sources by connection name, and the error that names a shard without one. */
final class ShardDataSources {
  private final Map<String, DataSource> byConnection;
  private final String owner;

  ShardDataSources(Map<String, DataSource> byConnection, String owner) {
    this.byConnection = Map.copyOf(byConnection);
    this.owner = owner;
  }

  /**
   * The data source of a shard.
   *
   * @throws ShardingException naming the shard and its connection if there is none
   */
  DataSource of(Shard shard) {
    DataSource dataSource = byConnection.get(shard.connection());
    if (dataSource == null) {
      throw new ShardingException(
          "shard '"
              + shard.id()
              + "' uses connection '"
              + shard.connection()
              + "', which the "
              + owner
              + " has no data source for; known: "
              + byConnection.keySet());
    }
    return dataSource;
  }

  @Override
  public String toString() {
    return byConnection.keySet().toString();
  }
}
