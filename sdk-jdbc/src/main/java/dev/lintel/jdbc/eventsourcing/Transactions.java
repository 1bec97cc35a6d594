package dev.lintel.jdbc.eventsourcing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work in transactions: the one place where the JDBC stores commit, roll back and
 * retry. A unit of work that fails is rolled back and its exception rethrown, unless its {@link
 * Retry} says to run it again, on a fresh connection (or, in a caller's transaction, from a fresh
 * savepoint).
 */
final class Transactions {
  private static final Logger log = LoggerFactory.getLogger(Transactions.class);

  /** How often a unit of work runs at most, the first attempt included. */
  static final int MAX_ATTEMPTS = 5;

  /** Leaves the connection's transaction isolation level as it is. */
  private static final int KEEP_ISOLATION = -1;

  private Transactions() {}

  /**
   * Runs work in a transaction of its own, at the connection's isolation level, and commits it.
   *
   * @param connections where the connection comes from; it is closed afterwards
   * @param retry which failures to run the work again after
   * @param work the work; it must not commit or roll back
   * @return what the work returned
   * @throws SQLException the work's or the database's last failure, after the rollback
   * @throws X the work's own failure, after the rollback
   */
  static <T, X extends Exception> T inTransaction(
      ConnectionSource connections, Retry retry, Work<T, X> work) throws SQLException, X {
    return inTransaction(connections, KEEP_ISOLATION, retry, work);
  }

  /**
   * Runs work in a transaction of its own, at the given isolation level, and commits it.
   *
   * @param connections where the connection comes from; it is closed afterwards
   * @param isolation the transaction isolation level, a {@link Connection} constant
   * @param retry which failures to run the work again after
   * @param work the work; it must not commit or roll back
   * @return what the work returned
   * @throws SQLException the work's or the database's last failure, after the rollback
   * @throws X the work's own failure, after the rollback
   */
  static <T, X extends Exception> T inTransaction(
      ConnectionSource connections, int isolation, Retry retry, Work<T, X> work)
      throws SQLException, X {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = connections.open()) {
        connection.setAutoCommit(false);
        if (isolation != KEEP_ISOLATION) {
          connection.setTransactionIsolation(isolation);
        }
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException e) {
          rollback(connection, e);
          retry.afterFailure(attempt, e);
        } catch (Exception e) {
          rollback(connection, e);
          throw e;
        }
      }
    }
  }

  /**
   * Runs work in auto-commit mode, where each statement is a transaction of its own: for work that
   * is a single statement.
   *
   * @param connections where the connection comes from; it is closed afterwards
   * @param retry which failures to run the work again after
   * @param work the work
   * @return what the work returned
   * @throws SQLException the work's or the database's last failure
   * @throws X the work's own failure
   */
  static <T, X extends Exception> T autoCommitted(
      ConnectionSource connections, Retry retry, Work<T, X> work) throws SQLException, X {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = connections.open()) {
        connection.setAutoCommit(true);
        return work.run(connection);
      } catch (SQLException e) {
        retry.afterFailure(attempt, e);
      }
    }
  }

  /**
   * Runs work inside a caller's transaction under a savepoint, rolled back to when the work fails,
   * so the caller's transaction stays usable. A transient failure (see {@link #isTransient}) is
   * never retried nor rolled back to the savepoint: the database has rolled back the caller's whole
   * transaction, and only the caller can run it again.
   *
   * @param connection the caller's connection, in a transaction
   * @param retry which other failures to run the work again after
   * @param work the work; it must not commit or roll back
   * @return what the work returned
   * @throws SQLException the work's or the database's last failure
   * @throws X the work's own failure, after the rollback to the savepoint
   */
  static <T, X extends Exception> T underSavepoint(
      Connection connection, Retry retry, Work<T, X> work) throws SQLException, X {
    for (int attempt = 1; ; attempt++) {
      Savepoint savepoint = connection.setSavepoint();
      try {
        T result = work.run(connection);
        connection.releaseSavepoint(savepoint);
        return result;
      } catch (SQLException e) {
        if (isTransient(e)) {
          throw e;
        }
        connection.rollback(savepoint);
        retry.afterFailure(attempt, e);
      } catch (Exception e) {
        connection.rollback(savepoint);
        throw e;
      }
    }
  }

  /**
   * Tells whether the database rolled the transaction back on its own and running it again may
   * succeed: a deadlock (SQLSTATE 40P01 on PostgreSQL) or a serialization failure (40001, which
   * MariaDB and H2 also report for deadlocks), anywhere in the chain of causes.
   *
   * @param e the failure
   * @return whether it is transient
   */
  static boolean isTransient(SQLException e) {
    return anyInCauseChain(
        e, sql -> "40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()));
  }

  /**
   * Tells whether the failure, or an {@link SQLException} among its causes, passes the test.
   *
   * @param e the failure
   * @param test what to look for
   * @return whether one does
   */
  static boolean anyInCauseChain(SQLException e, Predicate<SQLException> test) {
    // Bounded: a cause chain can loop (a.initCause(b), b.initCause(a)), and drivers nest deeply
    // only a few levels.
    int depth = 0;
    for (Throwable next = e; next != null && depth < 32; next = next.getCause(), depth++) {
      if (next instanceof SQLException sql && test.test(sql)) {
        return true;
      }
    }
    return false;
  }

  private static void rollback(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Gives a connection; the caller closes it. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /** A unit of work on a connection. */
  @FunctionalInterface
  interface Work<T, X extends Exception> {
    T run(Connection connection) throws SQLException, X;
  }

  /**
   * Which failures a unit of work is run again after, up to {@link #MAX_ATTEMPTS} attempts in all.
   *
   * @param when the failures worth another attempt
   */
  record Retry(Predicate<SQLException> when) {
    /** Never again: the first failure is final. */
    static final Retry NEVER = new Retry(e -> false);

    /** Again after a transient failure ({@link #isTransient}). */
    static final Retry TRANSIENT = new Retry(Transactions::isTransient);

    /**
     * Adds failures worth another attempt.
     *
     * @param also the other failures
     * @return the combined retry
     */
    Retry or(Predicate<SQLException> also) {
      return new Retry(when.or(also));
    }

    /** Returns when the failed attempt is to be followed by another, else rethrows the failure. */
    void afterFailure(int attempt, SQLException failure) throws SQLException {
      if (attempt >= MAX_ATTEMPTS || !when.test(failure)) {
        throw failure;
      }
      log.debug(
          "Attempt {} of {} failed; trying again: {}", attempt, MAX_ATTEMPTS, failure.toString());
    }
  }
}
