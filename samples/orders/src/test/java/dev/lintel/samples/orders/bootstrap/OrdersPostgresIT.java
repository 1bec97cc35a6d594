package dev.lintel.samples.orders.bootstrap;

import static dev.lintel.samples.orders.bootstrap.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same program on PostgreSQL and Redis: three fresh databases (events and read model, two
 * customer shards) and a fresh Redis key prefix, all removed afterwards. Many clients place and pay
 * for orders over HTTP, the service restarts half-way, and at the end the read model equals a
 * replay of the event store: nothing lost, nothing counted twice.
 */
class OrdersPostgresIT {
  private static final int THREADS = 8;
  private static final int ORDERS_PER_THREAD = 10;

  private final JdbcServer postgres = TestServers.postgres();
  private final URI redis = TestServers.redis();
  private final String name =
      "orders_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final List<String> databases = List.of(name, name + "_s0", name + "_s1");
  private final Map<String, String> expectedStatus = new ConcurrentHashMap<>();
  private OrdersService service;

  @BeforeEach
  void createDatabases() throws SQLException {
    for (String database : databases) {
      admin("CREATE DATABASE " + database);
    }
  }

  @AfterEach
  void dropEverything() throws SQLException {
    if (service != null) {
      service.close();
    }
    for (String database : databases) {
      admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
    deleteRedisKeys(name + ":*");
  }

  private OrdersService start() throws Exception {
    return OrdersService.start(
        OrdersConfig.from(
            new String[] {
              "--port=0",
              "--db-url=" + url(name),
              "--shard-urls=" + url(name + "_s0") + "," + url(name + "_s1"),
              "--db-user=" + postgres.user(),
              "--db-password=" + postgres.password(),
              "--redis=" + redis,
              "--redis-prefix=" + name + ":",
              "--rate-limit=100000"
            },
            Map.of()));
  }

  @Test
  void concurrentClientsAndARestartLoseNothingAndTheReadModelEqualsAReplay() throws Exception {
    service = start();
    List<String> customers = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      customers.add(registerCustomer(i));
    }

    placeAndPayConcurrently(customers, "first");
    service.close(); // a restart half-way: nothing is kept in memory between the two halves
    service = start();
    placeAndPayConcurrently(customers, "second");

    EventStore store = service.lintel().eventStore();
    Eventually.awaitTrue(
        () -> service.persistence().projection().position() == store.lastPosition(),
        "the projection at the end of the store");
    Map<String, String> readModel = readModel();
    assertThat(readModel).hasSize(THREADS * ORDERS_PER_THREAD * 2);
    assertThat(readModel).isEqualTo(replay(store));
    assertThat(readModel.keySet()).isEqualTo(expectedStatus.keySet());
    readModel.forEach((id, row) -> assertThat(row).startsWith(expectedStatus.get(id) + " "));
    // A lookup over HTTP goes through the cache, whose shared level is Redis.
    String any = readModel.keySet().iterator().next();
    assertThat(json(client().get("/v1/orders/" + any)).path("id").asText()).isEqualTo(any);
    assertThat(redisKeys(name + ":order-views:*")).isNotEmpty();
  }

  private ApiClient client() {
    return new ApiClient(service.uri(), service.tokens().issue("client", Duration.ofMinutes(5)));
  }

  private String registerCustomer(int i) {
    HttpResponse<String> created =
        client()
            .post(
                "/v1/customers",
                "{\"name\":\"Customer " + i + "\",\"email\":\"c" + i + "@" + name + ".example\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return json(created).path("id").asText();
  }

  /** Each thread places orders for its customer and pays every other one. */
  private void placeAndPayConcurrently(List<String> customers, String half) throws Exception {
    ApiClient client = client();
    Concurrently.run(
        THREADS,
        thread -> {
          for (int n = 0; n < ORDERS_PER_THREAD; n++) {
            String id = half + "-" + thread + "-" + n;
            HttpResponse<String> placed =
                client.post(
                    "/v1/orders",
                    "{\"id\":\""
                        + id
                        + "\",\"customerId\":\""
                        + customers.get(thread)
                        + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"kbd\",\"quantity\":"
                        + (1 + n)
                        + ",\"unitPrice\":\"10.00\"}]}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            expectedStatus.put(id, "PLACED");
            if (n % 2 == 0) {
              HttpResponse<String> paid =
                  client.post(
                      "/v1/orders/" + id + "/payment",
                      "{\"amount\":\"" + (10 * (1 + n)) + ".00\",\"currency\":\"EUR\"}");
              assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
              expectedStatus.put(id, "PAID");
            }
          }
        });
  }

  /** Each order's row: status, total in cents and line count. */
  private Map<String, String> readModel() throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (Connection connection =
            DriverManager.getConnection(url(name), postgres.user(), postgres.password());
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT order_id, status, total_minor, line_count FROM order_view")) {
      while (row.next()) {
        rows.put(row.getString(1), row.getString(2) + " " + row.getLong(3) + " " + row.getInt(4));
      }
    }
    return rows;
  }

  /** The same rows, computed by folding every event of the store with the domain's rules. */
  private static Map<String, String> replay(EventStore store) {
    Map<String, Order> orders = new HashMap<>();
    long position = 1;
    List<RecordedEvent> page;
    do {
      page = store.readAll(position, 1_000);
      for (RecordedEvent event : page) {
        OrderEvent orderEvent = (OrderEvent) event.data();
        orders.merge(
            orderEvent.orderId().value(),
            Order.NONE.apply(orderEvent),
            (order, ignored) -> order.apply(orderEvent));
        position = event.position() + 1;
      }
    } while (!page.isEmpty());
    Map<String, String> rows = new HashMap<>();
    orders.forEach(
        (id, order) ->
            rows.put(
                id,
                order.status() + " " + order.total().minorUnits() + " " + order.lines().size()));
    return rows;
  }

  private String url(String database) {
    Matcher base = Pattern.compile("^(jdbc:postgresql://[^/]+/)[^?]*(.*)$").matcher(postgres.url());
    if (!base.matches()) {
      throw new IllegalStateException("unexpected PostgreSQL URL " + postgres.url());
    }
    return base.group(1) + database + base.group(2);
  }

  private void admin(String sql) throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private Set<String> redisKeys(String pattern) {
    RedisClient client = RedisClient.create(redis.toString());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      Set<String> keys = new HashSet<>();
      ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(pattern).limit(500))
          .forEachRemaining(keys::add);
      return keys;
    } finally {
      client.shutdown();
    }
  }

  private void deleteRedisKeys(String pattern) {
    Set<String> keys = redisKeys(pattern);
    if (keys.isEmpty()) {
      return;
    }
    RedisClient client = RedisClient.create(redis.toString());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().del(keys.toArray(String[]::new));
    } finally {
      client.shutdown();
    }
  }
}
