package dev.lintel.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.eventsourcing.JacksonEventSerializer;
import dev.lintel.core.gateway.CircuitBreakingHandler;
import dev.lintel.core.gateway.JwtAuthFilter;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.gateway.RateLimitFilter;
import dev.lintel.eventsourcing.EventStore;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.jdbc.eventsourcing.JdbcEventStore;
import dev.lintel.testing.JdbcServer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The gateway's meters through a real pipeline, and the JDBC store's own counters on H2. */
class GatewayAndStoreMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  record Placed(String item) {}

  @Test
  void gatewayMetersCountStatusesRateLimitsJwtRejectionsAndBreakerState() throws Exception {
    CircuitBreakingHandler failing =
        CircuitBreakingHandler.of(
            "payments",
            request -> Response.text(503, "down"),
            CircuitBreakerConfig.custom()
                .minimumNumberOfCalls(2)
                .slidingWindowSize(2)
                .failureRateThreshold(50)
                .build());
    LintelMetrics metrics = LintelMetrics.builder().circuitBreaker("payments", failing).build();
    metrics.bindTo(registry);
    Pipeline open =
        Pipeline.builder()
            .filter(metrics.gatewayFilter())
            .filter(RateLimitFilter.perPrincipal(2, 0.001))
            .route("GET", "/orders/{id}", metrics.route("orders.get", r -> Response.ok("order")))
            .route("GET", "/payments", metrics.route("payments", failing))
            .build();
    Pipeline secured =
        Pipeline.builder()
            .filter(metrics.gatewayFilter())
            .filter(
                JwtAuthFilter.hs256(
                        "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                    .build())
            .route("GET", "/me", r -> Response.ok("me"))
            .build();

    assertThat(open.handle(Request.of("GET", "/orders/1")).status()).isEqualTo(200);
    assertThat(open.handle(Request.of("GET", "/payments")).status()).isEqualTo(503);
    assertThat(open.handle(Request.of("GET", "/payments")).status()).isEqualTo(429);
    assertThat(secured.handle(Request.of("GET", "/me")).status()).isEqualTo(401);
    assertThat(
            secured
                .handle(Request.of("GET", "/me").withHeader("Authorization", "Bearer not.a.jwt"))
                .status())
        .isEqualTo(401);
    assertThat(
            secured
                .handle(
                    Request.of(
                        "GET",
                        "/me",
                        Headers.of(
                            "Authorization", "Bearer a.b.c", "Authorization", "Bearer x.y.z"),
                        new byte[0],
                        "10.0.0.1"))
                .status())
        .isEqualTo(401);
    Pipeline ownChallenge =
        Pipeline.builder()
            .filter(metrics.gatewayFilter())
            .filter(
                (request, next) ->
                    Response.text(401, "no")
                        .withHeader(
                            "WWW-Authenticate",
                            "Bearer error=\"invalid_token\", error_description=\"made up "
                                + request.path()
                                + "\""))
            .route("GET", "/{any}", r -> Response.ok("never"))
            .build();
    assertThat(ownChallenge.handle(Request.of("GET", "/a")).status()).isEqualTo(401);
    assertThat(ownChallenge.handle(Request.of("GET", "/b")).status()).isEqualTo(401);

    assertThat(registry.get("lintel.gateway.requests").tag("status", "200").timer().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.requests")
                .tags("status", "503", "outcome", "SERVER_ERROR")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("lintel.gateway.requests").tag("status", "401").timer().count())
        .isEqualTo(5);
    assertThat(registry.get("lintel.gateway.rate.limited").counter().count()).isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.jwt.rejections")
                .tag("reason", "missing_token")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.jwt.rejections")
                .tag("reason", "malformed_token")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.jwt.rejections")
                .tag("reason", "duplicate_authorization")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.jwt.rejections")
                .tag("reason", "invalid_token")
                .counter()
                .count())
        .as("a challenge of another filter: tagged by its error, never by its free text")
        .isEqualTo(2);
    assertThat(registry.get("lintel.gateway.jwt.rejections").counters()).hasSize(4);
    assertThat(
            registry
                .get("lintel.gateway.route.requests")
                .tags("route", "orders.get", "status", "200")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.breaker.state")
                .tags("route", "payments", "state", "closed")
                .gauge()
                .value())
        .isEqualTo(1);

    failing.handle(Request.of("GET", "/payments"));
    assertThat(
            registry
                .get("lintel.gateway.breaker.state")
                .tags("route", "payments", "state", "open")
                .gauge()
                .value())
        .as("two failures out of two open the breaker")
        .isEqualTo(1);
    assertThat(
            registry
                .get("lintel.gateway.breaker.state")
                .tags("route", "payments", "state", "closed")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void jdbcStoreCountersAppearNextToTheAppendTimer() {
    JdbcServer h2 =
        new JdbcServer(
            "H2", "jdbc:h2:mem:metrics-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    JdbcEventStore jdbc =
        JdbcEventStore.h2(h2.dataSource())
            .serializer(JacksonEventSerializer.builder().classNamesForUnregisteredTypes().build())
            .build()
            .createSchema();
    LintelMetrics metrics = LintelMetrics.builder().jdbcEventStore("orders", jdbc).build();
    metrics.bindTo(registry);
    EventStore store = metrics.eventStore("orders", jdbc);

    store.append("o-1", ExpectedVersion.noStream(), List.of(NewEvent.of(new Placed("a"))));
    store.append("o-2", ExpectedVersion.noStream(), List.of(NewEvent.of(new Placed("b"))));

    FunctionTimer lockWait =
        registry.get("lintel.eventstore.position.lock.wait").tag("store", "orders").functionTimer();
    assertThat(lockWait.count()).isEqualTo(jdbc.stats().appends()).isEqualTo(2);
    assertThat(registry.get("lintel.eventstore.appends").tag("store", "orders").timer().count())
        .isEqualTo(2);
    assertThat(registry.get("lintel.eventstore.visibility.gaps").functionCounter().count())
        .isEqualTo(jdbc.stats().visibilityGaps());
    assertThat(registry.get("lintel.eventstore.group.commits").functionCounter().count())
        .isEqualTo(2); // one caller at a time: a group of one each
    assertThat(registry.get("lintel.eventstore.group.largest").gauge().value()).isEqualTo(1);
    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
  }
}
