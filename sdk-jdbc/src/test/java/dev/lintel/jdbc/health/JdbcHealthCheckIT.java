package dev.lintel.jdbc.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.health.Health;
import dev.lintel.health.HealthStatus;
import dev.lintel.testing.DelegatingDataSource;
import dev.lintel.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Health checks against the real PostgreSQL and MariaDB servers. */
class JdbcHealthCheckIT {

  @Test
  void postgresIsUpAndNamed() throws Exception {
    Health health = JdbcHealthCheck.using(TestServers.postgres().dataSource()).check();

    assertThat(health.status()).isEqualTo(HealthStatus.UP);
    assertThat(health.detail()).startsWith("PostgreSQL ");
  }

  @Test
  void mariadbIsUpAndNamed() throws Exception {
    Health health = JdbcHealthCheck.using(TestServers.mariadb().dataSource()).check();

    assertThat(health.status()).isEqualTo(HealthStatus.UP);
    assertThat(health.detail()).containsIgnoringCase("MariaDB");
  }

  /**
   * Breaks the connection for real: the backend of the connection the check borrows is terminated
   * (and waited for) before the check uses it, so the driver's round trip fails.
   */
  @Test
  void postgresConnectionWhoseBackendWasKilledIsDown() throws Exception {
    DataSource dataSource = TestServers.postgres().dataSource();
    AtomicReference<Connection> borrowed = new AtomicReference<>();
    DataSource killing =
        new DelegatingDataSource(dataSource) {
          @Override
          public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            terminateBackend(dataSource, backendPid(connection));
            borrowed.set(connection);
            return connection;
          }
        };

    Health health = JdbcHealthCheck.using(killing).check();

    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(health.detail()).isEqualTo("connection not valid within 2 s");
    assertThat(borrowed.get().isClosed()).isTrue();
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
      pid.next();
      return pid.getInt(1);
    }
  }

  private static void terminateBackend(DataSource dataSource, int pid) throws SQLException {
    try (Connection admin = dataSource.getConnection();
        PreparedStatement terminate =
            admin.prepareStatement("select pg_terminate_backend(?, 5000)")) {
      terminate.setInt(1, pid);
      try (ResultSet done = terminate.executeQuery()) {
        done.next();
        assertThat(done.getBoolean(1)).as("backend %d terminated", pid).isTrue();
      }
    }
  }
}
