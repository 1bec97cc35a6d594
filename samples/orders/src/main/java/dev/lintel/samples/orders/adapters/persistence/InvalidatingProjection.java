package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.cache.Cache;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.samples.orders.domain.OrderEvent;

/**
 * Evicts an order's cached view once the projection has committed one of its events. Evicting after
 * the commit, not inside the transaction, matters: a reader that misses in between would otherwise
 * load the old row and cache it again.
 */
final class InvalidatingProjection implements Projection {
  private final Projection projection;
  private final Cache<String, ?> views;

  InvalidatingProjection(Projection projection, Cache<String, ?> views) {
    this.projection = projection;
    this.views = views;
  }

  @Override
  public String name() {
    return projection.name();
  }

  @Override
  public void handle(RecordedEvent event) throws Exception {
    projection.handle(event);
    if (event.data() instanceof OrderEvent orderEvent) {
      views.invalidate(orderEvent.orderId().value());
    }
  }

  @Override
  public void reset() throws Exception {
    projection.reset();
    views.invalidateAll("*");
  }

  @Override
  public boolean storesCheckpoint() {
    return projection.storesCheckpoint();
  }
}
