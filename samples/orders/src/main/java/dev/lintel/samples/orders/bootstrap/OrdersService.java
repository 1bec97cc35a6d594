package dev.lintel.samples.orders.bootstrap;

import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.core.Lintel;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagStore;
import dev.lintel.health.HealthGroup;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.health.JdbcHealthCheck;
import dev.lintel.jdbc.shard.ShardExecutor;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.redis.flags.RedisFlagStore;
import dev.lintel.samples.orders.adapters.customers.CustomerShards;
import dev.lintel.samples.orders.adapters.customers.ShardedCustomerDirectory;
import dev.lintel.samples.orders.adapters.flags.FlagExpressShipping;
import dev.lintel.samples.orders.adapters.persistence.OrderEventTypes;
import dev.lintel.samples.orders.adapters.persistence.OrderPersistence;
import dev.lintel.samples.orders.adapters.shipping.HttpShippingQuotes;
import dev.lintel.samples.orders.application.Commands.AddLine;
import dev.lintel.samples.orders.application.Commands.CancelOrder;
import dev.lintel.samples.orders.application.Commands.PayOrder;
import dev.lintel.samples.orders.application.Commands.PlaceOrder;
import dev.lintel.samples.orders.application.Commands.RegisterCustomer;
import dev.lintel.samples.orders.application.Commands.ShipOrder;
import dev.lintel.samples.orders.application.CustomerService;
import dev.lintel.samples.orders.application.OrderQueries;
import dev.lintel.samples.orders.application.OrderService;
import dev.lintel.samples.orders.application.Queries.FindCustomerByEmail;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.application.Queries.ListOrders;
import dev.lintel.samples.orders.application.Queries.QuoteShipping;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every adapter from the configuration, gives the use cases their
 * ports, registers them on the Lintel runtime's buses and starts the runtime. Closing it shuts down
 * gracefully (readiness DOWN, in-flight work finishes, then the parts stop in reverse) and releases
 * the connections.
 */
public final class OrdersService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrdersService.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Lintel lintel;
  private final OrderPersistence persistence;
  private final FlagStore flagStore;
  private final @Nullable FakeShippingService fakeShipping;

  private OrdersService(OrdersConfig config) throws Exception {
    try {
      Databases databases = Databases.open(config);
      resources.add(databases);

      RemoteCacheStore sharedCache = null;
      if (config.redis() != null) {
        RedisCacheStore redis = RedisCacheStore.connect(RedisURI.create(config.redis()));
        resources.add(redis);
        sharedCache = redis;
        RedisFlagStore redisFlags = RedisFlagStore.connect(RedisURI.create(config.redis()));
        resources.add(redisFlags);
        flagStore = redisFlags;
      } else {
        flagStore = new InMemoryFlagStore();
      }
      flagStore.put(Flag.rollout(FlagExpressShipping.FLAG, config.expressRolloutPercent()));
      Flags flags = Flags.using(flagStore);
      resources.add(flags);

      JdbcEventStore store =
          databases.eventStore().serializer(OrderEventTypes.serializer()).build();
      persistence = OrderPersistence.create(databases.main(), store, sharedCache);

      ShardExecutor<String> shards = CustomerShards.over(databases.shards());
      resources.add(shards);
      ShardedCustomerDirectory customers = new ShardedCustomerDirectory(shards, databases.main());
      customers.createTables();

      URI shipping = config.shippingService();
      if (shipping == null) {
        fakeShipping = FakeShippingService.start();
        resources.add(fakeShipping);
        shipping = fakeShipping.uri();
      } else {
        fakeShipping = null;
      }

      FlagExpressShipping express = new FlagExpressShipping(flags);
      OrderService orders =
          new OrderService(persistence.repository(), customers, express, Clock.systemUTC());
      CustomerService customerService = new CustomerService(customers);
      OrderQueries queries =
          new OrderQueries(persistence.readModel(), express, new HttpShippingQuotes(shipping));

      lintel =
          Lintel.builder()
              .eventStore(store)
              .projection(persistence.projection())
              .cache(persistence.views())
              .shutdownTimeout(Duration.ofSeconds(10))
              .build();
      lintel
          .health()
          .register(
              "database", Set.of(HealthGroup.READINESS), JdbcHealthCheck.using(databases.main()));
      lintel.commands().register(RegisterCustomer.class, customerService::register);
      lintel.commands().register(PlaceOrder.class, orders::place);
      lintel.commands().register(AddLine.class, orders::addLine);
      lintel.commands().register(PayOrder.class, orders::pay);
      lintel.commands().register(ShipOrder.class, orders::ship);
      lintel.commands().register(CancelOrder.class, orders::cancel);
      lintel.queries().register(GetOrder.class, queries::get);
      lintel.queries().register(ListOrders.class, queries::list);
      lintel.queries().register(QuoteShipping.class, queries::quoteShipping);
      lintel.queries().register(FindCustomerByEmail.class, customerService::findByEmail);
    } catch (Exception | Error e) {
      closeResources(); // what was opened before the failure
      throw e;
    }
  }

  /**
   * Builds and starts the service.
   *
   * @param config the configuration
   * @return the running service
   * @throws Exception if a part cannot start; what had started is stopped again
   */
  public static OrdersService start(OrdersConfig config) throws Exception {
    OrdersService service = new OrdersService(config);
    try {
      service.lintel.start();
      return service;
    } catch (RuntimeException e) {
      service.closeResources(); // the runtime stopped what it had started
      throw e;
    }
  }

  /**
   * The runtime: its buses carry the commands and queries, its health the checks.
   *
   * @return the runtime
   */
  public Lintel lintel() {
    return lintel;
  }

  /**
   * The persistence, for tests and the demo (projection position, cache).
   *
   * @return the persistence
   */
  public OrderPersistence persistence() {
    return persistence;
  }

  /**
   * Where the flags are kept, so the demo and tests can change the rollout.
   *
   * @return the flag store
   */
  public FlagStore flagStore() {
    return flagStore;
  }

  /** Stops the fake shipping service (if this run uses it), to show the circuit breaker open. */
  void stopFakeShipping() {
    if (fakeShipping != null) {
      fakeShipping.close();
    }
  }

  /** Shuts down gracefully, then releases the connections; failures are logged, not thrown. */
  @Override
  public void close() {
    lintel.close();
    closeResources();
  }

  /** Closes the resources in reverse order of opening. */
  private void closeResources() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("Closing {} failed", resources.get(i), e);
      }
    }
  }
}
