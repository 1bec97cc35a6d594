package dev.lintel.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * A plain JDBC transaction per Axon unit of work, without Spring: the transaction binds one
 * connection to the thread, and Axon's storage engine gets a view of it whose {@code close()} is a
 * no-op, so its statements run in that transaction and commit with it.
 */
final class AxonJdbcTransactions implements TransactionManager, ConnectionProvider {
  private final DataSource dataSource;
  private final ThreadLocal<Connection> current = new ThreadLocal<>();

  AxonJdbcTransactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Transaction startTransaction() {
    try {
      Connection connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      current.set(connection);
      return new Transaction() {
        @Override
        public void commit() {
          finish(connection, true);
        }

        @Override
        public void rollback() {
          finish(connection, false);
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start a JDBC transaction", e);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = current.get();
    return connection == null ? dataSource.getConnection() : nonClosing(connection);
  }

  private void finish(Connection connection, boolean commit) {
    current.remove();
    try (connection) {
      if (commit) {
        connection.commit();
      } else {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot end a JDBC transaction", e);
    }
  }

  private static Connection nonClosing(Connection connection) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if ("close".equals(method.getName())) {
            return null;
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }
}
