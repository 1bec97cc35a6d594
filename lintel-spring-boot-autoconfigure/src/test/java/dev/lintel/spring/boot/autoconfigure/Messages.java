package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.Query;

/** Messages and handler beans the tests register. */
final class Messages {
  private Messages() {}

  record PlaceOrder(String id) implements Command<String> {}

  record Ping(String text) implements Command<String> {}

  record CountOrders() implements Query<Integer> {}

  /** Handles through annotated methods. */
  static class Orders {
    int placed;

    @HandlesCommand
    String place(PlaceOrder command) {
      placed++;
      return "placed " + command.id();
    }

    @HandlesQuery
    Integer count(CountOrders query) {
      return placed;
    }
  }

  /** Handles by implementing the interface. */
  static class Pong implements CommandHandler<Ping, String> {
    @Override
    public String handle(Ping command) {
      return "pong " + command.text();
    }
  }

  /** A second handler of the same command type. */
  static class OtherOrders {
    @HandlesCommand
    String place(PlaceOrder command) {
      return "other";
    }
  }
}
