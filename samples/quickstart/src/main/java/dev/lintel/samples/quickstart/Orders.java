package dev.lintel.samples.quickstart;

import dev.lintel.Lifecycle;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.Query;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny order book: its commands, queries and an in-memory store with a lifecycle. */
final class Orders implements Lifecycle {

  record OrderId(String value) {}

  record PlaceOrder(String customer, String item, int quantity) implements Command<OrderId> {}

  record CancelOrder(OrderId id) implements Command<Boolean> {}

  record GetOrder(OrderId id) implements Query<OrderView> {}

  record ListOrders(String customer) implements Query<List<OrderView>> {}

  record OrderView(OrderId id, String customer, String item, int quantity, boolean cancelled) {}

  private final Map<OrderId, OrderView> orders = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();

  OrderId place(PlaceOrder command) {
    OrderId id = new OrderId("order-" + sequence.incrementAndGet());
    orders.put(
        id, new OrderView(id, command.customer(), command.item(), command.quantity(), false));
    return id;
  }

  boolean cancel(CancelOrder command) {
    OrderView view = orders.get(command.id());
    if (view == null || view.cancelled()) {
      return false;
    }
    orders.put(
        view.id(), new OrderView(view.id(), view.customer(), view.item(), view.quantity(), true));
    return true;
  }

  OrderView get(GetOrder query) {
    OrderView view = orders.get(query.id());
    if (view == null) {
      throw new IllegalArgumentException("no order " + query.id().value());
    }
    return view;
  }

  List<OrderView> list(ListOrders query) {
    return orders.values().stream()
        .filter(view -> view.customer().equals(query.customer()))
        .sorted((a, b) -> a.id().value().compareTo(b.id().value()))
        .toList();
  }

  static void validate(Object message) {
    if (message instanceof PlaceOrder order && order.quantity() <= 0) {
      throw new IllegalArgumentException("quantity must be positive but was " + order.quantity());
    }
  }

  @Override
  public String name() {
    return "order-book";
  }

  @Override
  public void start() {
    orders.clear();
  }

  @Override
  public void stop() {
    System.out.println("  order-book stopped holding " + orders.size() + " order(s)");
  }
}
