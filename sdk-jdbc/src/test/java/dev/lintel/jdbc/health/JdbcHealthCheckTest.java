package dev.lintel.jdbc.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.health.HealthRegistry;
import dev.lintel.health.Health;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.JdbcServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs against embedded H2; the real servers are in {@link JdbcHealthCheckIT}. */
class JdbcHealthCheckTest {

  @Test
  void embeddedH2IsUpAndNamed() throws Exception {
    JdbcServer h2 = new JdbcServer("H2", "jdbc:h2:mem:health;DB_CLOSE_DELAY=-1", "sa", "");

    Health health = JdbcHealthCheck.using(h2.dataSource()).check();

    assertThat(health.status()).isEqualTo(HealthStatus.UP);
    assertThat(health.detail()).startsWith("H2 ");
  }

  @Test
  void unreachableDatabaseIsDownInAReportWithTheDriversError() {
    JdbcServer nowhere = new JdbcServer("H2", "jdbc:h2:tcp://127.0.0.1:1/nothing", "sa", "");
    try (HealthRegistry registry = HealthRegistry.create()) {
      registry.register(
          "db", Set.of(HealthGroup.READINESS), JdbcHealthCheck.using(nowhere.dataSource()));

      HealthReport.CheckOutcome db = registry.report(HealthGroup.READINESS).check("db");

      assertThat(db.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(db.detail()).startsWith(SQLException.class.getName());
    }
  }

  @Test
  void validationTimeoutMustBePositive() {
    JdbcServer h2 = new JdbcServer("H2", "jdbc:h2:mem:x", "sa", "");

    assertThatThrownBy(() -> JdbcHealthCheck.using(h2.dataSource(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validationTimeout must be positive but was PT0S");
  }
}
