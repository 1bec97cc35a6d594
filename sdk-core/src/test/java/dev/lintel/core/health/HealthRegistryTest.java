package dev.lintel.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.Registration;
import dev.lintel.health.Health;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthReport.CheckOutcome;
import dev.lintel.health.HealthStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {
  private static final Set<HealthGroup> READY = Set.of(HealthGroup.READINESS);
  private final HealthRegistry registry = HealthRegistry.create(Duration.ofSeconds(5));
  private final CountDownLatch neverReleased = new CountDownLatch(1);

  @AfterEach
  void close() {
    neverReleased.countDown();
    registry.close();
  }

  @Test
  void emptyGroupIsUp() {
    assertThat(registry.report(HealthGroup.LIVENESS).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void overallStatusIsTheWorstOfTheChecks() {
    registry.register("a", READY, Health::up);
    assertThat(registry.report(HealthGroup.READINESS).status()).isEqualTo(HealthStatus.UP);

    registry.register("b", READY, () -> Health.degraded("breaker open"));
    assertThat(registry.report(HealthGroup.READINESS).status()).isEqualTo(HealthStatus.DEGRADED);

    registry.register("c", READY, () -> Health.down("gone"));
    HealthReport report = registry.report(HealthGroup.READINESS);
    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.checks())
        .extracting(CheckOutcome::name, CheckOutcome::status, CheckOutcome::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", HealthStatus.UP, null),
            org.assertj.core.groups.Tuple.tuple("b", HealthStatus.DEGRADED, "breaker open"),
            org.assertj.core.groups.Tuple.tuple("c", HealthStatus.DOWN, "gone"));
  }

  @Test
  void checkThatThrowsIsDownWithTheError() {
    registry.register(
        "db",
        READY,
        () -> {
          throw new IllegalStateException("connection refused");
        });

    CheckOutcome db = registry.report(HealthGroup.READINESS).check("db");

    assertThat(db).isNotNull();
    assertThat(db.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(db.detail()).isEqualTo("java.lang.IllegalStateException: connection refused");
  }

  @Test
  void hangingCheckIsDownWithATimeoutAndDoesNotBlockTheReport() {
    registry.register("fast", READY, Health::up);
    registry.register(
        "hangs",
        READY,
        Duration.ofMillis(100),
        () -> {
          neverReleased.await();
          return Health.up();
        });

    HealthReport report =
        assertTimeoutPreemptively(
            Duration.ofSeconds(4), () -> registry.report(HealthGroup.READINESS));

    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    CheckOutcome hangs = report.check("hangs");
    assertThat(hangs).isNotNull();
    assertThat(hangs.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(hangs.detail()).isEqualTo("timed out: no answer within 100 ms");
    assertThat(hangs.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(report.check("fast").status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void aCheckStillHangingIsNotStartedAgainByLaterReports() {
    AtomicInteger calls = new AtomicInteger();
    registry.register(
        "hangs",
        READY,
        Duration.ofMillis(50),
        () -> {
          calls.incrementAndGet();
          neverReleased.await();
          return Health.up();
        });

    for (int i = 0; i < 3; i++) {
      assertThat(registry.report(HealthGroup.READINESS).status()).isEqualTo(HealthStatus.DOWN);
    }

    assertThat(calls).hasValue(1);
  }

  @Test
  void checksOfAGroupRunConcurrently() {
    int checks = 5;
    CyclicBarrier allRunning = new CyclicBarrier(checks);
    for (int i = 0; i < checks; i++) {
      registry.register(
          "check-" + i,
          READY,
          () -> {
            allRunning.await(4, TimeUnit.SECONDS);
            return Health.up();
          });
    }

    HealthReport report = registry.report(HealthGroup.READINESS);

    assertThat(report.checks()).hasSize(checks).allMatch(c -> c.status() == HealthStatus.UP);
  }

  @Test
  void groupsSelectTheChecksOfAReport() {
    registry.register("deadlock", Set.of(HealthGroup.LIVENESS), Health::up);
    registry.register("postgres", READY, Health::up);
    registry.register("both", Set.of(HealthGroup.LIVENESS, HealthGroup.READINESS), Health::up);

    assertThat(registry.report(HealthGroup.LIVENESS).checks())
        .extracting(CheckOutcome::name)
        .containsExactly("both", "deadlock");
    assertThat(registry.report(HealthGroup.READINESS).checks())
        .extracting(CheckOutcome::name)
        .containsExactly("both", "postgres");
  }

  @Test
  void badRegistrationsAreRejectedAndNameTheCheck() {
    Registration first = registry.register("db", READY, Health::up);

    assertThatThrownBy(() -> registry.register("db", READY, Health::up))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'db' is already registered");
    assertThatThrownBy(() -> registry.register(" ", READY, Health::up))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> registry.register("x", Set.of(), Health::up))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x' must belong to a group");
    assertThatThrownBy(() -> registry.register("y", READY, Duration.ZERO, Health::up))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive but was PT0S");

    first.close();
    registry.register("db", READY, () -> Health.degraded("replaced"));
    assertThat(registry.report(HealthGroup.READINESS).status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void reportsAfterCloseShowChecksDownAndNotRun() {
    registry.register("db", READY, Health::up);
    registry.close();

    CheckOutcome db = registry.report(HealthGroup.READINESS).check("db");

    assertThat(db.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(db.detail()).isEqualTo("not run: the health registry is closed");
  }

  @Test
  void reportRendersAsJson() throws Exception {
    registry.register("cache", READY, () -> Health.degraded("redis breaker open"));
    registry.register("db", READY, Health::up);

    JsonNode json =
        new ObjectMapper().readTree(HealthJson.render(registry.report(HealthGroup.READINESS)));

    assertThat(json.get("group").asText()).isEqualTo("readiness");
    assertThat(json.get("status").asText()).isEqualTo("DEGRADED");
    assertThat(json.get("checks")).hasSize(2);
    JsonNode cache = json.get("checks").get(0);
    assertThat(cache.get("name").asText()).isEqualTo("cache");
    assertThat(cache.get("status").asText()).isEqualTo("DEGRADED");
    assertThat(cache.get("detail").asText()).isEqualTo("redis breaker open");
    assertThat(cache.get("durationMs").isNumber()).isTrue();
    assertThat(json.get("checks").get(1).get("detail").isNull()).isTrue();
  }
}
