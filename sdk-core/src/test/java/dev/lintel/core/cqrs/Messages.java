package dev.lintel.core.cqrs;

import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.Query;

/** Commands and queries shared by the bus tests. */
final class Messages {
  private Messages() {}

  record PlaceOrder(String customer, int quantity) implements Command<OrderId> {}

  record CancelOrder(OrderId id) implements Command<Boolean> {}

  record OrderId(String value) {}

  record GetOrder(OrderId id) implements Query<String> {}

  record CountOrders() implements Query<Integer> {}
}
