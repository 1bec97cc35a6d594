package dev.lintel.samples.orders.adapters.customers;

import dev.lintel.core.shard.InMemoryTopologyStore;
import dev.lintel.core.shard.ShardKeyCodec;
import dev.lintel.core.shard.ShardRouters;
import dev.lintel.core.shard.TopologyWatcher;
import dev.lintel.jdbc.shard.ShardExecutor;
import dev.lintel.jdbc.shard.ShardKeyColumn;
import dev.lintel.jdbc.shard.ShardLookup;
import dev.lintel.shard.Shard;
import dev.lintel.shard.ShardRouter;
import dev.lintel.shard.ShardStrategy;
import dev.lintel.shard.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The customer shards: jump hash of the customer id over n databases, shard {@code customers-<i>}
 * on the i-th. Gives the executor that runs work on a customer's shard and the unique e-mail lookup
 * over the same topology. Close it when done.
 */
public final class CustomerShards implements AutoCloseable {
  private final List<DataSource> databases;
  private final ShardExecutor<String> executor;
  private final TopologyWatcher<String> watcher;

  private CustomerShards(List<DataSource> databases) {
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < databases.size(); i++) {
      shards.add(Shard.of("customers-" + i, "customers-" + i));
    }
    String[] ids = shards.stream().map(Shard::id).toArray(String[]::new);
    Topology topology = Topology.of(1, shards, ShardStrategy.jump(ids));
    ShardExecutor.Builder<String> executor = ShardExecutor.builder(router(topology));
    for (int i = 0; i < databases.size(); i++) {
      executor.dataSource("customers-" + i, databases.get(i));
    }
    this.databases = List.copyOf(databases);
    this.executor = executor.build();
    // The lookup follows the topology through a watcher. This sample never rebalances, so its one
    // topology version lives in an in-memory store; a deployment that grows its shards would share
    // a JdbcTopologyStore (in the main database) between nodes and the rebalancer instead.
    InMemoryTopologyStore store = InMemoryTopologyStore.create();
    store.publish(topology);
    this.watcher = TopologyWatcher.start(store, CustomerShards::router, Duration.ofMinutes(5));
  }

  /**
   * Opens the shards over their databases.
   *
   * @param databases the shard databases, at least one; their order is part of the data layout
   * @return the shards, which the caller closes
   */
  public static CustomerShards over(List<DataSource> databases) {
    return new CustomerShards(databases);
  }

  /**
   * Gives the executor that runs work on a customer's shard.
   *
   * @return the executor
   */
  public ShardExecutor<String> executor() {
    return executor;
  }

  /**
   * Builds the lookup from e-mail address to customer id, unique (an address has one owner), its
   * tables created where missing.
   *
   * @param global the non-sharded database that holds the lookup's global table
   * @return the lookup
   */
  public ShardLookup<String> emailLookup(DataSource global) {
    ShardLookup.Builder<String> lookup =
        ShardLookup.builder("customer-emails", watcher, ShardKeyColumn.strings())
            .global(global)
            .unique();
    for (int i = 0; i < databases.size(); i++) {
      lookup.dataSource("customers-" + i, databases.get(i));
    }
    return lookup.build().createTables();
  }

  @Override
  public void close() {
    try {
      executor.close();
    } finally {
      watcher.close();
    }
  }

  private static ShardRouter<String> router(Topology topology) {
    return ShardRouters.create(topology, ShardKeyCodec.strings());
  }
}
