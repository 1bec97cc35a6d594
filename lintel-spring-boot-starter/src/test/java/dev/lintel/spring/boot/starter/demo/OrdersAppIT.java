package dev.lintel.spring.boot.starter.demo;

import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.flags.Flag;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.redis.flags.RedisFlagStore;
import dev.lintel.spring.boot.starter.demo.OrdersApp.Gate;
import dev.lintel.spring.boot.starter.demo.OrdersApp.OrderPlaced;
import dev.lintel.testing.JdbcServer;
import dev.lintel.testing.TestServers;
import io.lettuce.core.RedisURI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestTemplate;

/**
 * The starter in a web application on a random port against the real PostgreSQL and Redis: commands
 * over HTTP reach annotated handlers and the JDBC event store, flags come from Redis, health and
 * metrics reach Actuator, and readiness is DOWN while graceful shutdown drains a request in flight.
 */
@SpringBootTest(
    classes = OrdersApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.shutdown=graceful",
      "spring.lifecycle.timeout-per-shutdown-phase=20s",
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.probes.enabled=true",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.show-components=always"
    })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersAppIT {
  private static final String FLAG_PREFIX = "starter-it-" + UUID.randomUUID() + ":";

  /** Tables of this run only: a shared server keeps whatever earlier runs left. */
  private static final String TABLE_PREFIX =
      "starter_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    JdbcServer postgres = TestServers.postgres();
    registry.add("spring.datasource.url", postgres::url);
    registry.add("spring.datasource.username", postgres::user);
    registry.add("spring.datasource.password", postgres::password);
    registry.add("lintel.redis.uri", () -> TestServers.redis().toString());
    registry.add("lintel.redis.flag-prefix", () -> FLAG_PREFIX);
    registry.add("lintel.event-store.table-prefix", () -> TABLE_PREFIX);
  }

  @org.junit.jupiter.api.AfterAll
  static void dropTables() throws java.sql.SQLException {
    try (java.sql.Connection connection = TestServers.postgres().dataSource().getConnection();
        java.sql.Statement statement = connection.createStatement()) {
      for (String table :
          List.of("events", "streams", "positions", "snapshots", "checkpoints", "schema_version")) {
        statement.execute("DROP TABLE IF EXISTS " + TABLE_PREFIX + table);
      }
      statement.execute("DROP FUNCTION IF EXISTS " + TABLE_PREFIX + "append CASCADE");
      statement.execute("DROP FUNCTION IF EXISTS " + TABLE_PREFIX + "append_group CASCADE");
    }
  }

  @LocalServerPort int port;
  @Autowired JdbcEventStore store;

  private final RestTemplate http = new RestTemplate(timeouts());

  private static SimpleClientHttpRequestFactory timeouts() {
    SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(5_000);
    factory.setReadTimeout(60_000);
    return factory;
  }

  private ResponseEntity<String> send(String method, String path, String body) {
    return http.exchange(
        "http://127.0.0.1:" + port + path,
        HttpMethod.valueOf(method),
        new org.springframework.http.HttpEntity<>(body),
        String.class);
  }

  @Test
  @Order(1)
  void commandsOverHttpAppendToPostgresAndFlagsComeFromRedis() {
    String id = UUID.randomUUID().toString();

    assertThat(send("POST", "/orders/" + id, "book").getBody()).isEqualTo("1");
    assertThat(send("POST", "/orders/" + id, "pen").getBody()).isEqualTo("2");
    assertThat(send("GET", "/orders/" + id, "").getBody()).isEqualTo("[\"book\",\"pen\"]");
    assertThat(store.readStream("order-" + id, 1, 10))
        .extracting(event -> ((OrderPlaced) event.data()).item())
        .as("read back from PostgreSQL through the JDBC store")
        .containsExactly("book", "pen");
    assertThat(store.dialect().name()).isEqualTo("POSTGRES");

    try (RedisFlagStore otherNode =
        RedisFlagStore.connect(RedisURI.create(TestServers.redis().toString()), FLAG_PREFIX)) {
      otherNode.put(Flag.onForEveryone("new-checkout"));
    }
    assertThat(send("GET", "/flags/new-checkout?user=ada", "").getBody()).isEqualTo("true");

    ResponseEntity<String> readiness = send("GET", "/actuator/health/readiness", "");
    assertThat(readiness.getStatusCode().value()).isEqualTo(200);
    assertThat(readiness.getBody()).isEqualTo("{\"status\":\"UP\"}");
    // Probe groups show no components; the main health endpoint does, with the runtime's checks.
    assertThat(send("GET", "/actuator/health", "").getBody())
        .contains("\"lintel\":{\"status\":\"UP\"")
        .contains("\"database\":\"UP")
        .contains("\"lintelLiveness\"");
    assertThat(send("GET", "/actuator/metrics/lintel.commands", "").getStatusCode().value())
        .isEqualTo(200);
  }

  /**
   * Shutdown closes the application, which the Spring test context must not see closed: this test
   * runs the same application, with the same settings, in an instance of its own.
   */
  @Test
  @Order(2)
  void readinessIsDownWhileGracefulShutdownDrainsAndTheRuntimeStopsAfter() throws Exception {
    JdbcServer postgres = TestServers.postgres();
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(OrdersApp.class)
            .properties(
                "server.port=0",
                "server.shutdown=graceful",
                "spring.lifecycle.timeout-per-shutdown-phase=20s",
                "management.endpoint.health.probes.enabled=true",
                "lintel.event-store.table-prefix=" + TABLE_PREFIX,
                "spring.datasource.url=" + postgres.url(),
                "spring.datasource.username=" + postgres.user(),
                "spring.datasource.password=" + postgres.password(),
                "lintel.redis.uri=" + TestServers.redis(),
                "lintel.redis.flag-prefix=" + FLAG_PREFIX)
            .run();
    Lintel runtime = app.getBean(Lintel.class);
    HealthEndpoint endpoint = app.getBean(HealthEndpoint.class);
    ApplicationAvailability state = app.getBean(ApplicationAvailability.class);
    int appPort = ((WebServerApplicationContext) app).getWebServer().getPort();
    assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);

    CompletableFuture<ResponseEntity<String>> inFlight =
        CompletableFuture.supplyAsync(
            () -> http.postForEntity("http://127.0.0.1:" + appPort + "/slow", "", String.class));
    assertThat(Gate.ENTERED.await(20, TimeUnit.SECONDS)).as("the slow command started").isTrue();

    Thread closer = new Thread(app::close, "closer");
    closer.start();
    awaitTrue(
        () -> state.getReadinessState() == ReadinessState.REFUSING_TRAFFIC,
        "Spring refuses traffic");

    // What /actuator/health/readiness answers; asked in process, since the server takes no new
    // connections while it drains.
    HealthComponent readiness = endpoint.healthForPath("readiness");
    assertThat(readiness.getStatus()).isEqualTo(Status.DOWN);
    assertThat(((CompositeHealth) readiness).getComponents().get("lintel").getStatus())
        .isEqualTo(Status.DOWN);
    assertThat(runtime.state())
        .as("the runtime closes only after the HTTP requests drained")
        .isEqualTo(Lintel.State.RUNNING);

    Gate.RELEASE.countDown();
    ResponseEntity<String> response = inFlight.get(30, TimeUnit.SECONDS);
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    assertThat(response.getBody()).isEqualTo("done");
    closer.join(30_000);
    assertThat(runtime.state()).isEqualTo(Lintel.State.STOPPED);
  }
}
