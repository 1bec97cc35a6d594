package dev.lintel.samples.orders.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.Lintel;
import dev.lintel.flags.Flag;
import dev.lintel.samples.orders.adapters.flags.FlagExpressShipping;
import dev.lintel.samples.orders.application.Commands.AddLine;
import dev.lintel.samples.orders.application.Commands.PayOrder;
import dev.lintel.samples.orders.application.Commands.ShipOrder;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.application.Queries.FindCustomerByEmail;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.application.Queries.ListOrders;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.DomainRuleViolation;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import dev.lintel.samples.orders.domain.OrderStatus;
import dev.lintel.testing.Concurrently;
import dev.lintel.testing.Eventually;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's use cases on its real adapters: H2 files, the JDBC event store, two shards. */
class OrdersServiceIT {
  private static final OrderLine KEYBOARD = new OrderLine("kbd", 1, Money.of("49.90", "EUR"));

  @TempDir Path data;
  private OrdersService service;
  private Lintel lintel;

  @BeforeEach
  void start() throws Exception {
    service = OrdersService.start(config());
    lintel = service.lintel();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private OrdersConfig config() {
    return OrdersConfig.from(new String[] {"--data=" + data, "--port=0"}, Map.of());
  }

  private CustomerId register(String name) {
    return TestOrders.register(lintel, name);
  }

  private OrderId place(CustomerId customer, OrderLine... lines) {
    return TestOrders.place(lintel, customer, lines);
  }

  private OrderView awaitView(OrderId id, OrderStatus status) {
    Eventually.awaitTrue(
        () -> view(id).map(v -> v.status() == status).orElse(false), id + " " + status);
    return view(id).orElseThrow();
  }

  private Optional<OrderView> view(OrderId id) {
    return lintel.queries().ask(new GetOrder(id));
  }

  @Test
  void customersAreSpreadOverBothShardsAndFoundByEmail() throws SQLException {
    for (int i = 0; i < 20; i++) {
      register("customer" + i);
    }

    assertThat(customersOn("customers-0")).isPositive();
    assertThat(customersOn("customers-1")).isPositive();
    assertThat(customersOn("customers-0") + customersOn("customers-1")).isEqualTo(20);
    Optional<Customer> found =
        lintel.queries().ask(new FindCustomerByEmail(new Email("Customer7@Example.org")));
    assertThat(found).map(Customer::name).contains("customer7");
    assertThat(lintel.queries().ask(new FindCustomerByEmail(new Email("nobody@example.org"))))
        .isEmpty();
  }

  @Test
  void anEmailAddressBelongsToOneCustomerAcrossShards() {
    register("ada");

    assertThatThrownBy(() -> register("ada"))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("e-mail address ada@example.org is taken");
  }

  @Test
  void theReadModelFollowsEveryChangeThroughTheCache() {
    CustomerId ada = register("ada");
    OrderId id = place(ada, KEYBOARD);

    OrderView placed = awaitView(id, OrderStatus.PLACED); // now cached
    assertThat(placed.total()).isEqualTo(Money.of("49.90", "EUR"));
    lintel.commands().send(new PayOrder(id, Money.of("49.90", "EUR")));

    // The entry cached above lives 5 minutes: seeing PAID proves the projection evicted it.
    assertThat(awaitView(id, OrderStatus.PAID).total()).isEqualTo(Money.of("49.90", "EUR"));
    assertThat(lintel.queries().ask(new ListOrders(ada, 10)))
        .extracting(OrderView::orderId)
        .containsExactly(id.value());
  }

  @Test
  void concurrentChangesToOneOrderAreRetriedAndNoneIsLost() throws Exception {
    OrderId id = place(register("ada"), KEYBOARD);

    // 3 writers x 2 lines: a writer can lose at most 4 races, within the 5 retries.
    Concurrently.run(
        3,
        thread -> {
          for (int i = 0; i < 2; i++) {
            lintel.commands().send(new AddLine(id, KEYBOARD));
          }
        });

    Eventually.awaitTrue(() -> view(id).map(v -> v.lines() == 7).orElse(false), "7 lines");
    assertThat(view(id).orElseThrow().total()).isEqualTo(Money.of("349.30", "EUR"));
    assertThat(snapshotVersion(id)).isEqualTo(5); // taken when a save crossed 5 events
  }

  @Test
  void expressShippingFollowsTheRollout() {
    CustomerId ada = register("ada");
    OrderId standard = place(ada, KEYBOARD);
    OrderId express = place(ada, KEYBOARD);
    lintel.commands().send(new PayOrder(standard, KEYBOARD.total()));
    lintel.commands().send(new PayOrder(express, KEYBOARD.total()));

    service.flagStore().put(Flag.rollout(FlagExpressShipping.FLAG, 0));
    Order shippedStandard = lintel.commands().send(new ShipOrder(standard));
    service.flagStore().put(Flag.rollout(FlagExpressShipping.FLAG, 100));
    lintel.commands().send(new ShipOrder(express));

    assertThat(shippedStandard.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(awaitView(standard, OrderStatus.SHIPPED).express()).isFalse();
    assertThat(awaitView(express, OrderStatus.SHIPPED).express()).isTrue();
  }

  @Test
  void ordersAndTheReadModelSurviveARestart() throws Exception {
    CustomerId ada = register("ada");
    OrderId id = place(ada, KEYBOARD);
    awaitView(id, OrderStatus.PLACED);

    service.close();
    service = OrdersService.start(config());
    lintel = service.lintel();

    assertThat(view(id)).map(OrderView::status).contains(OrderStatus.PLACED);
    lintel.commands().send(new PayOrder(id, KEYBOARD.total())); // loads from the stored events
    awaitView(id, OrderStatus.PAID);
  }

  private int customersOn(String shard) throws SQLException {
    return count(shard, "SELECT COUNT(*) FROM customers");
  }

  private long snapshotVersion(OrderId id) throws SQLException {
    return count(
        "orders", "SELECT version FROM lintel_snapshots WHERE stream_id = 'order-" + id + "'");
  }

  private int count(String database, String sql) throws SQLException {
    String url =
        "jdbc:h2:file:" + data.resolve(database).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getInt(1);
    }
  }
}
