package dev.lintel.jdbc.health;

import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Checks a database by borrowing a connection and asking the driver whether it is valid ({@link
 * Connection#isValid}), which sends a real round trip to the server. UP with the product and
 * version when it answers; DOWN when no connection can be had or the connection is not valid in
 * time.
 *
 * <pre>{@code
 * lintel.health().register("postgres", Set.of(HealthGroup.READINESS), JdbcHealthCheck.using(dataSource));
 * }</pre>
 *
 * Thread-safe; each check borrows and returns one connection.
 */
public final class JdbcHealthCheck implements HealthCheck {
  private final DataSource dataSource;
  private final int validationSeconds;

  private JdbcHealthCheck(DataSource dataSource, Duration validationTimeout) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    long seconds = Math.max(1, (validationTimeout.toMillis() + 999) / 1000);
    this.validationSeconds = (int) Math.min(Integer.MAX_VALUE, seconds);
  }

  /**
   * Checks the data source, giving the driver 2 seconds to validate a connection.
   *
   * @param dataSource the data source
   * @return the check
   */
  public static JdbcHealthCheck using(DataSource dataSource) {
    return using(dataSource, Duration.ofSeconds(2));
  }

  /**
   * Checks the data source with the given validation timeout, rounded up to whole seconds as JDBC
   * requires.
   *
   * @param dataSource the data source
   * @param validationTimeout how long the driver may take to validate a connection
   * @return the check
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public static JdbcHealthCheck using(DataSource dataSource, Duration validationTimeout) {
    Objects.requireNonNull(validationTimeout, "validationTimeout");
    if (validationTimeout.isNegative() || validationTimeout.isZero()) {
      throw new IllegalArgumentException(
          "validationTimeout must be positive but was " + validationTimeout);
    }
    return new JdbcHealthCheck(dataSource, validationTimeout);
  }

  @Override
  public Health check() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.isValid(validationSeconds)) {
        return Health.down("connection not valid within " + validationSeconds + " s");
      }
      DatabaseMetaData meta = connection.getMetaData();
      return Health.up(meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
    }
  }
}
