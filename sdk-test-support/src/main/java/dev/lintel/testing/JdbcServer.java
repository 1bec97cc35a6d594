package dev.lintel.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A database server used by integration tests.
 *
 * @param product the product name, for messages
 * @param url the JDBC URL of the test database
 * @param user the user
 * @param password the password, empty for none
 */
public record JdbcServer(String product, String url, String user, String password) {

  /**
   * A {@link DataSource} that opens a new connection each time through {@link DriverManager}; the
   * driver must be on the test class path.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return new DriverManagerDataSource();
  }

  private final class DriverManagerDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      try {
        return DriverManager.getConnection(url, user, password);
      } catch (SQLException e) {
        throw new SQLException(
            product
                + " refused a connection to "
                + url
                + " as "
                + user
                + ": "
                + e.getMessage()
                + ". scripts/test.sh creates the lintel_test database.",
            e.getSQLState(),
            e);
      }
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
      return DriverManager.getConnection(url, username, pass);
    }

    @Override
    public PrintWriter getLogWriter() {
      return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
      DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
      DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
      return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      if (type.isInstance(this)) {
        return type.cast(this);
      }
      throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return type.isInstance(this);
    }
  }
}
