package dev.lintel.jdbc.eventsourcing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How appends reach the database: PostgreSQL's append function ({@link FunctionAppender}) or
 * locking statements ({@link StatementAppender}). A store gets one from its dialect when it is
 * built. Implementations are thread-safe.
 *
 * <p>Every append, alone or a group of several callers' batches, follows one protocol: lock the
 * position row first, then, batch by batch, check the expected version on the stream's row and that
 * none of the batch's event ids is stored; write the batches that pass, allocate their positions
 * densely in batch order, and move the position row once. Both locks are held until commit. Taking
 * the position lock first means every other lock an append takes is uncontended by other appends,
 * so appends never deadlock with each other, and the checks read the latest committed state: a
 * batch that fails a check is refused alone, with nothing of it written.
 */
interface Appender {

  /**
   * Writes batches in one transaction of the appender's own and commits it, retried as a whole
   * after transient failures. A refused batch does not stop the others.
   *
   * @param connections where connections come from
   * @param batches the batches, in the order their positions are to be allocated
   * @return an outcome per batch, in order; the written ones are committed
   * @throws SQLException if the database fails; then nothing of any batch was written
   */
  List<AppendBatch.Outcome> append(
      Transactions.ConnectionSource connections, List<AppendBatch> batches) throws SQLException;

  /**
   * Writes batches on a connection in a transaction without committing or rolling back, and without
   * the store's lock timeout (the caller's transaction keeps its own settings).
   *
   * @param connection the connection, auto-commit off
   * @param batches the batches
   * @return an outcome per batch, in order, final once the transaction commits
   * @throws SQLException if the database fails
   */
  List<AppendBatch.Outcome> write(Connection connection, List<AppendBatch> batches)
      throws SQLException;
}
