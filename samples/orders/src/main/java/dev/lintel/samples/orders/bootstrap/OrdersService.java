package dev.lintel.samples.orders.bootstrap;

import dev.lintel.cache.RemoteCacheStore;
import dev.lintel.core.Lintel;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.core.gateway.RateLimitFilter;
import dev.lintel.core.plugin.PluginManager;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagStore;
import dev.lintel.gateway.Filter;
import dev.lintel.health.HealthGroup;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.jdbc.health.JdbcHealthCheck;
import dev.lintel.redis.cache.RedisCacheStore;
import dev.lintel.redis.flags.RedisFlagStore;
import dev.lintel.redis.gateway.RedisRateLimitFilter;
import dev.lintel.samples.orders.adapters.customers.CustomerShards;
import dev.lintel.samples.orders.adapters.customers.ShardedCustomerDirectory;
import dev.lintel.samples.orders.adapters.flags.FlagExpressShipping;
import dev.lintel.samples.orders.adapters.http.HttpApi;
import dev.lintel.samples.orders.adapters.importer.OrderImportJob;
import dev.lintel.samples.orders.adapters.persistence.OrderEventTypes;
import dev.lintel.samples.orders.adapters.persistence.OrderPersistence;
import dev.lintel.samples.orders.adapters.shipping.HttpShippingQuotes;
import dev.lintel.samples.orders.application.Commands.AddLine;
import dev.lintel.samples.orders.application.Commands.CancelOrder;
import dev.lintel.samples.orders.application.Commands.ImportOrder;
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
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.security.SecureRandom;
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
 * gracefully (readiness DOWN, new requests 503, in-flight ones finish, then the parts stop in
 * reverse) and releases the connections.
 */
public final class OrdersService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrdersService.class);

  /** What is closed after the runtime, in reverse order of opening. */
  private final List<AutoCloseable> resources = new ArrayList<>();

  private final FlagStore flagStore;
  private final OrderPersistence persistence;
  private final @Nullable FakeShippingService fakeShipping;
  private final DemoTokens tokens;
  private final HttpApi http;
  private final Lintel lintel;

  private OrdersService(OrdersConfig config) throws Exception {
    try {
      log.info("Starting the orders service: {}", config);
      Databases databases = opened(Databases.open(config));
      flagStore = flagStore(config);
      if (flagStore.get(FlagExpressShipping.FLAG) == null) { // a shared store keeps what was set
        flagStore.put(Flag.rollout(FlagExpressShipping.FLAG, config.expressRolloutPercent()));
      }
      FlagExpressShipping expressShipping = new FlagExpressShipping(opened(Flags.using(flagStore)));

      JdbcEventStore store =
          databases.eventStore().serializer(OrderEventTypes.serializer()).build();
      persistence =
          OrderPersistence.create(
              databases.main(), store, sharedCache(config), config.redisPrefix());

      CustomerShards shards = opened(CustomerShards.over(databases.shards()));
      ShardedCustomerDirectory customers = new ShardedCustomerDirectory(shards, databases.main());

      URI shipping = config.shippingService();
      fakeShipping = shipping == null ? opened(FakeShippingService.start()) : null;

      // The use cases, given their ports.
      OrderService orders =
          new OrderService(persistence.repository(), customers, expressShipping, Clock.systemUTC());
      CustomerService customerService = new CustomerService(customers);
      OrderQueries orderQueries =
          new OrderQueries(
              persistence.readModel(),
              expressShipping,
              new HttpShippingQuotes(fakeShipping != null ? fakeShipping.uri() : shipping));
      LocalCommandBus commands = LocalCommandBus.create();
      commands.register(RegisterCustomer.class, customerService::register);
      commands.register(PlaceOrder.class, orders::place);
      commands.register(ImportOrder.class, orders::importOrder);
      commands.register(AddLine.class, orders::addLine);
      commands.register(PayOrder.class, orders::pay);
      commands.register(ShipOrder.class, orders::ship);
      commands.register(CancelOrder.class, orders::cancel);
      LocalQueryBus queries = LocalQueryBus.create();
      queries.register(GetOrder.class, orderQueries::get);
      queries.register(ListOrders.class, orderQueries::list);
      queries.register(QuoteShipping.class, orderQueries::quoteShipping);
      queries.register(FindCustomerByEmail.class, customerService::findByEmail);

      // The HTTP side, and the runtime that owns the lifecycle of everything.
      PluginManager plugins =
          PluginManager.builder()
              .directory(config.pluginDirectory())
              .require("security-headers")
              .build();
      byte[] jwtSecret = config.jwtSecret() != null ? config.jwtSecret() : randomSecret();
      tokens = new DemoTokens(jwtSecret);
      http =
          new HttpApi(
              new HttpApi.Settings(
                  config.port(), jwtSecret, rateLimit(config), Duration.ofSeconds(5)),
              commands,
              queries,
              plugins.filters(),
              () -> lintel().liveness(),
              () -> lintel().readiness());
      lintel =
          Lintel.builder()
              .commandBus(commands)
              .queryBus(queries)
              .eventStore(store)
              .plugins(plugins)
              .projection(persistence.projection())
              .cache(persistence.views())
              .component(http) // added last, so stopped first, once readiness is DOWN
              .shutdownTimeout(Duration.ofSeconds(10))
              .build();
      lintel
          .health()
          .register(
              "database", Set.of(HealthGroup.READINESS), JdbcHealthCheck.using(databases.main()));
      lintel
          .health()
          .register("shipping-quotes", Set.of(HealthGroup.READINESS), http.shippingQuotesHealth());
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

  private <T extends AutoCloseable> T opened(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Redis when configured (shared by every node, changes announced), else in memory. */
  private FlagStore flagStore(OrdersConfig config) {
    URI redis = config.redis();
    return redis == null
        ? new InMemoryFlagStore()
        : opened(RedisFlagStore.connect(RedisURI.create(redis), config.redisPrefix()));
  }

  /** The cache's shared level on Redis when configured; else the cache is in-process only. */
  private @Nullable RemoteCacheStore sharedCache(OrdersConfig config) {
    URI redis = config.redis();
    return redis == null ? null : opened(RedisCacheStore.connect(RedisURI.create(redis)));
  }

  /**
   * A token bucket per user, refilled at a quarter of the burst per second: in Redis when
   * configured (one limit across all instances), else in the process.
   */
  private Filter rateLimit(OrdersConfig config) {
    long burst = config.rateLimitBurst();
    double perSecond = burst / 4.0;
    URI redis = config.redis();
    if (redis == null) {
      return RateLimitFilter.perPrincipal(burst, perSecond);
    }
    RedisClient client = RedisClient.create(RedisURI.create(redis));
    opened(client::shutdown);
    StatefulRedisConnection<String, String> connection = opened(client.connect());
    return RedisRateLimitFilter.perPrincipal(
        connection, config.redisPrefix() + "orders-api", burst, perSecond);
  }

  private static byte[] randomSecret() {
    log.warn("ORDERS_JWT_SECRET is not set: using a random one-off HS256 key for this run");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /**
   * Where the HTTP API answers.
   *
   * @return its base URI
   */
  public URI uri() {
    return http.uri();
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

  /**
   * The import of historic orders, sending its commands on this service's bus, 8 at a time.
   *
   * @return the job
   */
  public OrderImportJob importJob() {
    return new OrderImportJob(lintel.commands(), persistence.checkpoints(), 8);
  }

  /** Signs demo tokens with this run's key. */
  DemoTokens tokens() {
    return tokens;
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

  private void closeResources() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("Closing {} failed", resources.get(i), e);
      }
    }
    resources.clear();
  }
}
