package dev.lintel.samples.orders.adapters.customers;

import dev.lintel.jdbc.shard.LookupValueTakenException;
import dev.lintel.jdbc.shard.ShardExecutor;
import dev.lintel.jdbc.shard.ShardLookup;
import dev.lintel.samples.orders.application.CustomerDirectory;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.DomainRuleViolation;
import dev.lintel.samples.orders.domain.Email;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Customers spread over shard databases by customer id (the shard router's jump hash), each
 * customer's row on the shard that owns its id.
 *
 * <p>Lookup by e-mail address goes through the SDK's secondary lookup ({@link ShardLookup}), in
 * unique mode: its local table on each customer shard is written in the customer's own transaction,
 * its global table in the non-sharded database routes a lookup to one shard, and an address belongs
 * to at most one customer (a second registration with it is refused, even when both race). A
 * registration that failed leaves no customer and no address behind: its global entry is not
 * confirmed by the shard, is never answered, and is taken over by the next customer who registers
 * the address.
 */
public final class ShardedCustomerDirectory implements CustomerDirectory {
  private final ShardExecutor<String> shards;
  private final ShardLookup<String> emails;

  /**
   * Creates the directory and the tables that are missing, on every shard and in the lookup
   * database.
   *
   * @param shards the customer shards, keyed by customer id
   * @param lookup the non-sharded database holding the e-mail lookup's global table
   * @throws SQLException if a database refuses
   */
  public ShardedCustomerDirectory(CustomerShards shards, DataSource lookup) throws SQLException {
    this.shards = shards.executor();
    this.shards
        .scatter(
            "create-customer-tables",
            connection -> {
              try (Statement statement = connection.createStatement()) {
                statement.execute(
                    "CREATE TABLE IF NOT EXISTS customers (customer_id VARCHAR(64) PRIMARY KEY,"
                        + " name VARCHAR(100) NOT NULL, email VARCHAR(254) NOT NULL)");
              }
              return null;
            })
        .run();
    this.emails = shards.emailLookup(lookup);
  }

  @Override
  public void register(Customer customer) {
    try {
      shards.onShardOf(customer.id().value(), connection -> insert(connection, customer));
    } catch (LookupValueTakenException taken) {
      throw new DomainRuleViolation("e-mail address " + customer.email() + " is taken");
    }
  }

  @Override
  public Optional<Customer> find(CustomerId id) {
    return shards.onShardOf(id.value(), connection -> select(connection, id.value()));
  }

  @Override
  public Optional<Customer> findByEmail(Email email) {
    return emails.onShardOf(
        email.value(), (connection, customerId) -> select(connection, customerId).orElse(null));
  }

  private Void insert(Connection connection, Customer customer) throws SQLException {
    connection.setAutoCommit(false);
    try (PreparedStatement row =
        connection.prepareStatement(
            "INSERT INTO customers (customer_id, name, email) VALUES (?, ?, ?)")) {
      // the address first: a refusal then costs no row; either way both commit or neither
      emails.put(connection, customer.email().value(), customer.id().value());
      row.setString(1, customer.id().value());
      row.setString(2, customer.name());
      row.setString(3, customer.email().value());
      row.executeUpdate();
      connection.commit();
      return null;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static Optional<Customer> select(Connection connection, String customerId)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT customer_id, name, email FROM customers WHERE customer_id = ?")) {
      query.setString(1, customerId);
      try (ResultSet row = query.executeQuery()) {
        return row.next()
            ? Optional.of(
                new Customer(
                    new CustomerId(row.getString(1)),
                    row.getString(2),
                    new Email(row.getString(3))))
            : Optional.empty();
      }
    }
  }
}
