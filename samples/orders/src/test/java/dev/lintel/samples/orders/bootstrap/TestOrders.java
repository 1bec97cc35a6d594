package dev.lintel.samples.orders.bootstrap;

import dev.lintel.core.Lintel;
import dev.lintel.samples.orders.application.Commands.PlaceOrder;
import dev.lintel.samples.orders.application.Commands.RegisterCustomer;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import dev.lintel.testing.Eventually;
import java.time.Duration;
import java.util.List;

/** Sets the scene of a test through the service's buses and tokens, as its clients would. */
final class TestOrders {
  private TestOrders() {}

  /** Registers {@code <name>@example.org}. */
  static CustomerId register(Lintel lintel, String name) {
    return lintel.commands().send(new RegisterCustomer(name, new Email(name + "@example.org")));
  }

  /** Places an order in euros. */
  static OrderId place(Lintel lintel, CustomerId customer, OrderLine... lines) {
    return lintel
        .commands()
        .send(new PlaceOrder(OrderId.random(), customer, Money.currency("EUR"), List.of(lines)));
  }

  /** Places an order in euros and waits until the read side has it. */
  static OrderId placeAndAwaitReadSide(Lintel lintel, CustomerId customer, OrderLine... lines) {
    OrderId order = place(lintel, customer, lines);
    Eventually.awaitTrue(
        () -> lintel.queries().ask(new GetOrder(order)).isPresent(), order + " on the read side");
    return order;
  }

  /** An HTTP client with a five-minute token for the user. */
  static ApiClient client(OrdersService service, String user) {
    return new ApiClient(service.uri(), service.tokens().issue(user, Duration.ofMinutes(5)));
  }
}
