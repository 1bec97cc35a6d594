package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.cache.KeyCodec;
import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.core.eventsourcing.ProjectionRunner;
import dev.lintel.jdbc.eventsourcing.JdbcCheckpointStore;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.eventsourcing.JdbcSnapshotStore;
import dev.lintel.jdbc.eventsourcing.TransactionalProjection;
import dev.lintel.samples.orders.application.OrderReadModel;
import dev.lintel.samples.orders.application.OrderRepository;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.domain.OrderId;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Both sides of orders in one database: the write side ({@link #repository()}: event streams with
 * snapshots) and the read side ({@link #readModel()}: tables kept by the {@link #projection()},
 * looked up through the {@link #views()} cache). Add the projection and the cache to the Lintel
 * runtime, which starts them, reports them in readiness and stops them.
 */
public final class OrderPersistence {
  private final OrderRepository repository;
  private final ProjectionRunner projection;
  private final TieredCache<String, OrderView> views;
  private final OrderReadModel readModel;
  private final JdbcCheckpointStore checkpoints;

  private OrderPersistence(
      JdbcCheckpointStore checkpoints,
      OrderRepository repository,
      ProjectionRunner projection,
      TieredCache<String, OrderView> views,
      OrderReadModel readModel) {
    this.checkpoints = checkpoints;
    this.repository = repository;
    this.projection = projection;
    this.views = views;
    this.readModel = readModel;
  }

  /**
   * Creates the tables that are missing (event store and read model) and wires both sides.
   *
   * @param dataSource the database of the events, snapshots, checkpoints and read model
   * @param store the event store on that database, with {@link OrderEventTypes#serializer()}
   * @param sharedCache the cache's shared level (Redis), or null for an in-process cache only
   * @param cacheKeyPrefix the prefix of the cache's keys and channels in the shared level
   * @return the persistence
   * @throws SQLException if the tables cannot be created
   */
  public static OrderPersistence create(
      DataSource dataSource,
      JdbcEventStore store,
      @Nullable RemoteCacheStore sharedCache,
      String cacheKeyPrefix)
      throws SQLException {
    store.createSchema();
    ReadModelSchema.create(dataSource);
    JdbcSnapshotStore snapshots =
        JdbcSnapshotStore.sharing(dataSource, store, OrderEventTypes.serializer());
    OrderRepository repository = new EventSourcedOrderRepository(store, snapshots);

    OrderReadModel tables = new JdbcOrderReadModel(dataSource);
    TieredCache.Builder<String, OrderView> cache =
        TieredCache.builder("order-views", KeyCodec.strings(), OrderView.class)
            .config(
                TieredCacheConfig.custom()
                    .l1(10_000, Duration.ofMinutes(5))
                    .keyPrefix(cacheKeyPrefix)
                    .build())
            .loader(id -> tables.find(new OrderId(id)).orElse(null));
    if (sharedCache != null) {
      cache.l2(sharedCache);
    }
    TieredCache<String, OrderView> views = cache.build();

    JdbcCheckpointStore checkpoints = JdbcCheckpointStore.sharing(dataSource, store);
    ProjectionRunner projection =
        ProjectionRunner.builder(
                store,
                checkpoints,
                new InvalidatingProjection(
                    TransactionalProjection.of(dataSource, checkpoints, new OrderViewProjection()),
                    views))
            .build();
    return new OrderPersistence(
        checkpoints, repository, projection, views, new CachedOrderReadModel(views, tables));
  }

  /**
   * The write side.
   *
   * @return the order repository
   */
  public OrderRepository repository() {
    return repository;
  }

  /**
   * The read side.
   *
   * @return the read model, order lookups through the cache
   */
  public OrderReadModel readModel() {
    return readModel;
  }

  /**
   * The projection that keeps the read model.
   *
   * @return its runner
   */
  public ProjectionRunner projection() {
    return projection;
  }

  /**
   * Where checkpoints are kept (the projection's, and the import job's): in the same database.
   *
   * @return the checkpoint store
   */
  public JdbcCheckpointStore checkpoints() {
    return checkpoints;
  }

  /**
   * The cache of order views.
   *
   * @return the cache
   */
  public TieredCache<String, OrderView> views() {
    return views;
  }
}
