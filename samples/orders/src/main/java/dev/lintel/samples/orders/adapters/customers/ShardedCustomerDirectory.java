package dev.lintel.samples.orders.adapters.customers;

import dev.lintel.jdbc.shard.ShardExecutor;
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
 * <p>Lookup by e-mail address needs a way from the address to the id, hence the shard. Two tables
 * keep it:
 *
 * <ul>
 *   <li>{@code customer_emails} on the owning shard, written in the same transaction as the
 *       customer's row, so the shard's data is always self-consistent (what a rebalancer moves);
 *   <li>{@code customer_email_lookup} in the non-sharded database: the global index that routes a
 *       lookup to one shard instead of asking all of them, and whose primary key makes an address
 *       unique across shards. It is claimed before the shard write and released if that fails.
 * </ul>
 *
 * <p>This is a stand-in for the SDK's shard secondary lookup, being built now: when it lands, this
 * adapter's e-mail tables are replaced by it and nothing above the {@link CustomerDirectory} port
 * changes. Until then, a crash between the claim and the shard write leaves a claim without a
 * customer: {@link #findByEmail} then finds nothing and the address stays taken until the claim row
 * is deleted.
 */
public final class ShardedCustomerDirectory implements CustomerDirectory {
  private static final String UNIQUE_VIOLATION = "23505";

  private final ShardExecutor<String> shards;
  private final DataSource lookup;

  /**
   * Creates the directory.
   *
   * @param shards the customer shards, keyed by customer id
   * @param lookup the non-sharded database holding the global e-mail index
   */
  public ShardedCustomerDirectory(ShardExecutor<String> shards, DataSource lookup) {
    this.shards = shards;
    this.lookup = lookup;
  }

  /**
   * Creates the tables that are missing, on every shard and in the lookup database.
   *
   * @throws SQLException if a database refuses
   */
  public void createTables() throws SQLException {
    shards
        .scatter(
            "create-customer-tables",
            connection -> {
              try (Statement statement = connection.createStatement()) {
                statement.execute(
                    "CREATE TABLE IF NOT EXISTS customers (customer_id VARCHAR(64) PRIMARY KEY,"
                        + " name VARCHAR(100) NOT NULL, email VARCHAR(254) NOT NULL)");
                statement.execute(
                    "CREATE TABLE IF NOT EXISTS customer_emails (email VARCHAR(254) PRIMARY KEY,"
                        + " customer_id VARCHAR(64) NOT NULL)");
              }
              return null;
            })
        .run();
    try (Connection connection = lookup.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS customer_email_lookup (email VARCHAR(254) PRIMARY KEY,"
              + " customer_id VARCHAR(64) NOT NULL)");
    }
  }

  @Override
  public void register(Customer customer) {
    claimEmail(customer);
    try {
      shards.onShardOf(customer.id().value(), connection -> insert(connection, customer));
    } catch (RuntimeException shardWriteFailed) {
      releaseEmail(customer.email());
      throw shardWriteFailed;
    }
  }

  @Override
  public Optional<Customer> find(CustomerId id) {
    return shards.onShardOf(
        id.value(),
        connection ->
            select(
                connection,
                "SELECT customer_id, name, email FROM customers WHERE customer_id = ?",
                id.value()));
  }

  @Override
  public Optional<Customer> findByEmail(Email email) {
    Optional<String> owner = ownerOf(email);
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    return shards.onShardOf(
        owner.get(),
        connection ->
            select(
                connection,
                "SELECT c.customer_id, c.name, c.email FROM customer_emails e"
                    + " JOIN customers c ON c.customer_id = e.customer_id WHERE e.email = ?",
                email.value()));
  }

  private static Void insert(Connection connection, Customer customer) throws SQLException {
    connection.setAutoCommit(false);
    try (PreparedStatement row =
            connection.prepareStatement(
                "INSERT INTO customers (customer_id, name, email) VALUES (?, ?, ?)");
        PreparedStatement email =
            connection.prepareStatement(
                "INSERT INTO customer_emails (email, customer_id) VALUES (?, ?)")) {
      row.setString(1, customer.id().value());
      row.setString(2, customer.name());
      row.setString(3, customer.email().value());
      row.executeUpdate();
      email.setString(1, customer.email().value());
      email.setString(2, customer.id().value());
      email.executeUpdate();
      connection.commit();
      return null;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private void claimEmail(Customer customer) {
    try (Connection connection = lookup.getConnection();
        PreparedStatement claim =
            connection.prepareStatement(
                "INSERT INTO customer_email_lookup (email, customer_id) VALUES (?, ?)")) {
      claim.setString(1, customer.email().value());
      claim.setString(2, customer.id().value());
      claim.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new DomainRuleViolation("e-mail address " + customer.email() + " is taken");
      }
      throw new CustomerStoreException("claiming " + customer.email() + " failed", e);
    }
  }

  private void releaseEmail(Email email) {
    try (Connection connection = lookup.getConnection();
        PreparedStatement release =
            connection.prepareStatement("DELETE FROM customer_email_lookup WHERE email = ?")) {
      release.setString(1, email.value());
      release.executeUpdate();
    } catch (SQLException e) {
      throw new CustomerStoreException("releasing " + email + " failed", e);
    }
  }

  private Optional<String> ownerOf(Email email) {
    try (Connection connection = lookup.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT customer_id FROM customer_email_lookup WHERE email = ?")) {
      query.setString(1, email.value());
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new CustomerStoreException("looking up " + email + " failed", e);
    }
  }

  private static Optional<Customer> select(Connection connection, String sql, String key)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, key);
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
