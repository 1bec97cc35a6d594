package dev.lintel.core.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.ShuttingDownException;
import dev.lintel.core.cqrs.Messages.CountOrders;
import dev.lintel.core.cqrs.Messages.GetOrder;
import dev.lintel.core.cqrs.Messages.OrderId;
import dev.lintel.cqrs.NoHandlerException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalQueryBusTest {

  @Test
  void askReturnsTheHandlersTypedAnswer() {
    LocalQueryBus bus = LocalQueryBus.create();
    bus.register(GetOrder.class, query -> "order " + query.id().value());
    bus.register(CountOrders.class, query -> 42);

    String order = bus.ask(new GetOrder(new OrderId("7")));
    int count = bus.ask(new CountOrders());

    assertThat(order).isEqualTo("order 7");
    assertThat(count).isEqualTo(42);
  }

  @Test
  void askAsyncAnswersOnTheExecutor() throws Exception {
    LocalQueryBus bus = LocalQueryBus.builder().executor(Runnable::run).build();
    bus.register(CountOrders.class, query -> 3);

    assertThat(bus.askAsync(new CountOrders()).get(5, TimeUnit.SECONDS)).isEqualTo(3);
  }

  @Test
  void missingQueryHandlerSaysQueryAndNamesTheType() {
    LocalQueryBus bus = LocalQueryBus.create();

    assertThatThrownBy(() -> bus.ask(new CountOrders()))
        .isInstanceOf(NoHandlerException.class)
        .hasMessageContaining("No query handler is registered for " + CountOrders.class.getName());
  }

  @Test
  void queryInterceptorsWrapTheHandler() {
    AtomicInteger seen = new AtomicInteger();
    LocalQueryBus bus =
        LocalQueryBus.builder()
            .interceptor(
                (query, chain) -> {
                  seen.incrementAndGet();
                  return chain.proceed(query);
                })
            .build();
    bus.register(CountOrders.class, query -> 1);

    bus.ask(new CountOrders());

    assertThat(seen).hasValue(1);
  }

  @Test
  void shutdownRefusesNewQueries() {
    LocalQueryBus bus = LocalQueryBus.create();
    bus.register(CountOrders.class, query -> 1);

    bus.shutdown();

    assertThatThrownBy(() -> bus.ask(new CountOrders()))
        .isInstanceOf(ShuttingDownException.class)
        .hasMessageContaining("Query bus is shutting down");
  }
}
