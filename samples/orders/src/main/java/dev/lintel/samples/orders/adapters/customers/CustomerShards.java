package dev.lintel.samples.orders.adapters.customers;

import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.jdbc.shard.ShardExecutor;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The topology of the customer shards: jump hash of the customer id over n databases. */
public final class CustomerShards {
  private CustomerShards() {}

  /**
   * Builds an executor over the shard databases, shard {@code customers-<i>} on the i-th.
   *
   * @param databases the shard databases, at least one; their order is part of the data layout
   * @return the executor, which the caller closes
   */
  public static ShardExecutor<String> over(List<DataSource> databases) {
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < databases.size(); i++) {
      shards.add(Shard.of("customers-" + i, "customers-" + i));
    }
    String[] ids = shards.stream().map(Shard::id).toArray(String[]::new);
    Topology topology = Topology.of(1, shards, ShardStrategy.jump(ids));
    ShardExecutor.Builder<String> executor =
        ShardExecutor.builder(ShardRouters.create(topology, ShardKeyCodec.strings()));
    for (int i = 0; i < databases.size(); i++) {
      executor.dataSource("customers-" + i, databases.get(i));
    }
    return executor.build();
  }
}
