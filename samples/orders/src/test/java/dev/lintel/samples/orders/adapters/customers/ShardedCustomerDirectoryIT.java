package dev.lintel.samples.orders.adapters.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.DomainRuleViolation;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.testing.Concurrently;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The customer directory on two fresh H2 shard databases and a main one: an e-mail address belongs
 * to one customer even when registrations race for it from many threads, and a failed registration
 * leaves its address free.
 */
class ShardedCustomerDirectoryIT {
  private static final int RACERS = 4;
  private static final int ADDRESSES = 25;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private CustomerShards shards;
  private ShardedCustomerDirectory customers;

  @BeforeEach
  void open() throws Exception {
    for (int i = 0; i < 3; i++) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(
          "jdbc:h2:mem:customers_"
              + UUID.randomUUID().toString().replace("-", "")
              + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
      config.setMaximumPoolSize(2 * RACERS);
      pools.add(new HikariDataSource(config));
    }
    shards = CustomerShards.over(List.<DataSource>of(pools.get(0), pools.get(1)));
    customers = new ShardedCustomerDirectory(shards, pools.get(2));
  }

  @AfterEach
  void close() {
    shards.close();
    pools.forEach(HikariDataSource::close);
  }

  @Test
  void ofRegistrationsRacingForAnAddressExactlyOneWins() throws Exception {
    Map<Integer, List<CustomerId>> winners = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CyclicBarrier start = new CyclicBarrier(RACERS); // every address raced by all at once
    Concurrently.run(
        RACERS,
        racer -> {
          for (int a = 0; a < ADDRESSES; a++) {
            Customer customer = new Customer(CustomerId.random(), "racer", address(a));
            start.await(30, TimeUnit.SECONDS);
            try {
              customers.register(customer);
              winners.computeIfAbsent(a, x -> new CopyOnWriteArrayList<>()).add(customer.id());
            } catch (DomainRuleViolation e) {
              refused.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        });

    assertThat(failures).isEmpty();
    assertThat(refused.get()).isEqualTo(ADDRESSES * (RACERS - 1));
    for (int a = 0; a < ADDRESSES; a++) {
      assertThat(winners.get(a)).as("customers with %s", address(a)).hasSize(1);
      CustomerId winner = winners.get(a).get(0);
      assertThat(customers.findByEmail(address(a))).map(Customer::id).contains(winner);
    }
  }

  @Test
  void aFailedRegistrationLeavesItsAddressFree() throws SQLException {
    Customer ada = new Customer(CustomerId.random(), "Ada", new Email("ada@example.org"));
    customers.register(ada);
    Customer clash = new Customer(ada.id(), "Not Ada", new Email("grace@example.org"));

    // its address is claimed, then the customer row's primary key refuses: all rolls back
    assertThatThrownBy(() -> customers.register(clash)).isNotInstanceOf(DomainRuleViolation.class);
    assertThat(globalEntries("grace@example.org")).isEqualTo(1);
    assertThat(customers.findByEmail(new Email("grace@example.org"))).isEmpty();

    Customer grace = new Customer(CustomerId.random(), "Grace", new Email("grace@example.org"));
    customers.register(grace);
    assertThat(customers.findByEmail(new Email("grace@example.org"))).contains(grace);
    assertThat(customers.findByEmail(new Email("ada@example.org"))).contains(ada);
    assertThat(customers.find(ada.id())).contains(ada);
  }

  private long globalEntries(String value) throws SQLException {
    try (Connection connection = pools.get(2).getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM lintel_shard_lookup WHERE lookup_value = ?")) {
      select.setString(1, value);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static Email address(int a) {
    return new Email("racer" + a + "@example.org");
  }
}
