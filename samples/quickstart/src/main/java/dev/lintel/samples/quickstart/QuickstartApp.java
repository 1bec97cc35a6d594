package dev.lintel.samples.quickstart;

import dev.lintel.ShuttingDownException;
import dev.lintel.core.Lintel;
import dev.lintel.core.cqrs.Interceptors;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.health.HealthJson;
import dev.lintel.cqrs.NoHandlerException;
import dev.lintel.health.Health;
import dev.lintel.health.HealthGroup;
import dev.lintel.samples.quickstart.Orders.CancelOrder;
import dev.lintel.samples.quickstart.Orders.GetOrder;
import dev.lintel.samples.quickstart.Orders.ListOrders;
import dev.lintel.samples.quickstart.Orders.OrderId;
import dev.lintel.samples.quickstart.Orders.OrderView;
import dev.lintel.samples.quickstart.Orders.PlaceOrder;
import java.time.Duration;
import java.util.Set;

/**
 * Lintel on embedded defaults: typed commands and queries through interceptors, a health report and
 * a graceful shutdown. Run it with {@code ./mvnw -q -pl samples/quickstart -am compile exec:java}.
 */
public final class QuickstartApp {
  private QuickstartApp() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Orders orders = new Orders();
    // README example: start
    Lintel lintel =
        Lintel.builder()
            .commandBus(
                LocalCommandBus.builder()
                    .interceptor(Interceptors.validating(Orders::validate))
                    .interceptor(Interceptors.logging())
                    .build())
            .component(orders)
            .shutdownTimeout(Duration.ofSeconds(5))
            .build()
            .start();
    lintel.commands().register(PlaceOrder.class, orders::place);
    lintel.queries().register(GetOrder.class, orders::get);

    OrderId id = lintel.commands().send(new PlaceOrder("ada", "keyboard", 2));
    OrderView view = lintel.queries().ask(new GetOrder(id));
    // README example: end

    lintel.commands().register(CancelOrder.class, orders::cancel);
    lintel.queries().register(ListOrders.class, orders::list);
    lintel
        .health()
        .register("order-book", Set.of(HealthGroup.READINESS), () -> Health.up("in memory"));

    System.out.println("Lintel quickstart");
    System.out.println("  placed " + id.value() + " -> " + view);
    OrderId second = lintel.commands().send(new PlaceOrder("ada", "mouse", 1));
    boolean cancelled = lintel.commands().send(new CancelOrder(second));
    System.out.println("  cancelled " + second.value() + ": " + cancelled);
    System.out.println("  ada's orders: " + lintel.queries().ask(new ListOrders("ada")));
    String async = lintel.commands().sendAsync(new PlaceOrder("bob", "monitor", 1)).join().value();
    System.out.println("  placed asynchronously: " + async);

    try {
      lintel.commands().send(new PlaceOrder("ada", "desk", 0));
    } catch (IllegalArgumentException e) {
      System.out.println("  rejected by validation: " + e.getMessage());
    }
    try {
      lintel.queries().ask(new UnknownQuery());
    } catch (NoHandlerException e) {
      System.out.println("  " + e.getMessage());
    }

    System.out.println("  readiness: " + HealthJson.render(lintel.readiness()));
    System.out.println("Shutting down gracefully");
    lintel.close();
    try {
      lintel.commands().send(new PlaceOrder("late", "anything", 1));
    } catch (ShuttingDownException e) {
      System.out.println("  after shutdown: " + e.getMessage());
    }
    System.out.println("  readiness: " + HealthJson.render(lintel.readiness()));
    System.out.println("  state: " + lintel.state());
  }

  private record UnknownQuery() implements dev.lintel.cqrs.Query<String> {}
}
