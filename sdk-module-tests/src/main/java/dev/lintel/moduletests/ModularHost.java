package dev.lintel.moduletests;

import dev.lintel.cache.KeyCodec;
import dev.lintel.core.Lintel;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.plugin.PluginManager;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A small host wired as a module user would wire it: a runtime whose command handler appends to a
 * JDBC event store and fills a tiered cache, and plugins found by {@link java.util.ServiceLoader}.
 */
public final class ModularHost implements AutoCloseable {
  private final JdbcEventStore events;
  private final TieredCache<String, OrderPlaced> orders;
  private final PluginManager plugins;
  private final Lintel lintel;

  private ModularHost(DataSource dataSource) {
    events =
        JdbcEventStore.h2(dataSource)
            .serializer(
                JacksonEventSerializer.builder().type(OrderPlaced.class, "order-placed").build())
            .build()
            .createSchema();
    orders = TieredCache.builder("orders", KeyCodec.strings(), OrderPlaced.class).build();
    plugins = PluginManager.builder().classpath(ModularHost.class.getClassLoader()).build();
    lintel = Lintel.builder().eventStore(events).cache(orders).plugins(plugins).build().start();
    lintel.commands().register(PlaceOrder.class, this::place);
  }

  /**
   * Starts a host on an H2 database.
   *
   * @param dataSource the database
   * @return the started host
   */
  public static ModularHost start(DataSource dataSource) {
    return new ModularHost(dataSource);
  }

  /**
   * Returns the runtime.
   *
   * @return the runtime
   */
  public Lintel lintel() {
    return lintel;
  }

  /**
   * Returns the plugin manager.
   *
   * @return the plugins found by {@link java.util.ServiceLoader}
   */
  public PluginManager plugins() {
    return plugins;
  }

  /**
   * Returns the orders cache.
   *
   * @return the cache
   */
  public TieredCache<String, OrderPlaced> orders() {
    return orders;
  }

  /**
   * Reads an order's events back from the store.
   *
   * @param orderId the order
   * @return its events' data
   */
  public List<OrderPlaced> history(String orderId) {
    return events.readStream("order-" + orderId, 1, 100).stream()
        .map(RecordedEvent::data)
        .map(OrderPlaced.class::cast)
        .toList();
  }

  private String place(PlaceOrder command) {
    String id = UUID.randomUUID().toString();
    OrderPlaced placed = new OrderPlaced(id, command.item(), command.quantity());
    events.append("order-" + id, ExpectedVersion.noStream(), List.of(NewEvent.of(placed)));
    orders.put(id, placed);
    return id;
  }

  @Override
  public void close() {
    lintel.close();
  }
}
