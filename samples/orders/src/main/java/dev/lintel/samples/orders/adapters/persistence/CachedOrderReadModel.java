package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.core.cache.TieredCache;
import dev.lintel.samples.orders.application.OrderReadModel;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.OrderId;
import java.util.List;
import java.util.Optional;

/**
 * Answers order lookups by id from the tiered cache (L1 in the process, Redis when configured),
 * loading from the read-model tables on a miss; lists go to the tables. The projection evicts an
 * order's entry after committing each of its events ({@link InvalidatingProjection}), on every node
 * when the cache has Redis.
 */
final class CachedOrderReadModel implements OrderReadModel {
  private final TieredCache<String, OrderView> views;
  private final OrderReadModel tables;

  CachedOrderReadModel(TieredCache<String, OrderView> views, OrderReadModel tables) {
    this.views = views;
    this.tables = tables;
  }

  @Override
  public Optional<OrderView> find(OrderId id) {
    return Optional.ofNullable(views.get(id.value()));
  }

  @Override
  public List<OrderView> ofCustomer(CustomerId customer, int limit) {
    return tables.ofCustomer(customer, limit);
  }

  @Override
  public List<OrderView> recent(int limit) {
    return tables.recent(limit);
  }
}
