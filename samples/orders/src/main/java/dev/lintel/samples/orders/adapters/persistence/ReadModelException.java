package dev.lintel.samples.orders.adapters.persistence;

import java.sql.SQLException;

/** The read-model database failed. */
final class ReadModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ReadModelException(String message, SQLException cause) {
    super(message, cause);
  }
}
