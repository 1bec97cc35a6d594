package dev.lintel.samples.orders.adapters.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The read-model tables, in the event store's database so that the projection commits its rows and
 * its checkpoint together. The DDL is the same on H2 and PostgreSQL.
 */
public final class ReadModelSchema {
  private static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS order_view ("
              + "order_id VARCHAR(64) PRIMARY KEY, customer_id VARCHAR(64) NOT NULL,"
              + " status VARCHAR(16) NOT NULL, currency CHAR(3) NOT NULL,"
              + " total_minor BIGINT NOT NULL, line_count INT NOT NULL,"
              + " express BOOLEAN NOT NULL, placed_at TIMESTAMP WITH TIME ZONE NOT NULL)",
          "CREATE INDEX IF NOT EXISTS order_view_placed ON order_view (placed_at)",
          "CREATE TABLE IF NOT EXISTS customer_orders ("
              + "customer_id VARCHAR(64) NOT NULL, order_id VARCHAR(64) NOT NULL,"
              + " placed_at TIMESTAMP WITH TIME ZONE NOT NULL,"
              + " PRIMARY KEY (customer_id, order_id))");

  private ReadModelSchema() {}

  /**
   * Creates the tables unless they exist.
   *
   * @param dataSource the event store's database
   * @throws SQLException if the database refuses
   */
  public static void create(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String ddl : DDL) {
        statement.execute(ddl);
      }
    }
  }
}
