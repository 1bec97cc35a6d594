package dev.lintel.samples.orders.adapters.customers;

import java.sql.SQLException;

/** A customer database failed. */
final class CustomerStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CustomerStoreException(String message, SQLException cause) {
    super(message, cause);
  }
}
