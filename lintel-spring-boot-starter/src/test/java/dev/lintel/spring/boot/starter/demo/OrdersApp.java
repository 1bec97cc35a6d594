package dev.lintel.spring.boot.starter.demo;

import dev.lintel.core.Lintel;
import dev.lintel.core.flags.Flags;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.Query;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.flags.FlagContext;
import dev.lintel.spring.boot.autoconfigure.HandlesCommand;
import dev.lintel.spring.boot.autoconfigure.HandlesQuery;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A small web application that uses Lintel only through the starter. */
@SpringBootApplication
public class OrdersApp {

  /** Places an order; answers the order stream's version. */
  public record PlaceOrder(String id, String item) implements Command<Long> {}

  /** The event of a placed order. */
  public record OrderPlaced(String item) {}

  /** Lists an order's items. */
  public record GetOrder(String id) implements Query<List<String>> {}

  /** Blocks in its handler until the test releases it: work in flight during shutdown. */
  public record SlowCommand() implements Command<String> {}

  /** Lets the test hold a command in flight. */
  public static final class Gate {
    public static final CountDownLatch ENTERED = new CountDownLatch(1);
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    private Gate() {}
  }

  /** Handlers found by the starter through their annotations. */
  @Component
  public static class OrderHandlers {
    private final Lintel lintel;

    OrderHandlers(Lintel lintel) {
      this.lintel = lintel;
    }

    @HandlesCommand
    long place(PlaceOrder command) {
      return lintel
          .eventStore()
          .append(
              "order-" + command.id(),
              ExpectedVersion.any(),
              List.of(NewEvent.of(new OrderPlaced(command.item()))))
          .version();
    }

    @HandlesQuery
    List<String> get(GetOrder query) {
      return lintel.eventStore().readStream("order-" + query.id(), 1, 100).stream()
          .map(RecordedEvent::data)
          .map(data -> ((OrderPlaced) data).item())
          .toList();
    }

    @HandlesCommand
    String slow(SlowCommand command) throws InterruptedException {
      Gate.ENTERED.countDown();
      return Gate.RELEASE.await(30, TimeUnit.SECONDS) ? "done" : "timed out";
    }
  }

  /** The HTTP side: commands, queries and flags. */
  @RestController
  public static class OrdersController {
    private final Lintel lintel;
    private final Flags flags;

    OrdersController(Lintel lintel, Flags flags) {
      this.lintel = lintel;
      this.flags = flags;
    }

    @PostMapping("/orders/{id}")
    long place(@PathVariable String id, @RequestBody String item) {
      return lintel.commands().send(new PlaceOrder(id, item));
    }

    @GetMapping("/orders/{id}")
    List<String> get(@PathVariable String id) {
      return lintel.queries().ask(new GetOrder(id));
    }

    @PostMapping("/slow")
    String slow() {
      return lintel.commands().send(new SlowCommand());
    }

    @GetMapping("/flags/{name}")
    boolean flag(@PathVariable String name, @RequestParam String user) {
      return flags.isEnabled(name, FlagContext.user(user), false);
    }
  }
}
