package dev.lintel.samples.orders.bootstrap;

import static dev.lintel.samples.orders.bootstrap.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.health.HealthStatus;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipping quote route behind its circuit breaker, with the (fake) shipping service gone. */
class ShippingCircuitBreakerIT {
  @TempDir Path data;

  @Test
  void quotesFailAsBadGatewayUntilTheBreakerOpensThenAnswer503() throws Exception {
    try (OrdersService service =
        OrdersService.start(
            OrdersConfig.from(
                new String[] {"--data=" + data, "--port=0", "--express-rollout=0"}, Map.of()))) {
      Lintel lintel = service.lintel();
      ApiClient client = TestOrders.client(service, "ada");
      OrderId order =
          TestOrders.placeAndAwaitReadSide(
              lintel,
              TestOrders.register(lintel, "ada"),
              new OrderLine("kbd", 2, Money.of("10", "EUR")));
      String quote = "/v1/orders/" + order + "/shipping-quote";

      assertThat(json(client.get(quote)).path("price").path("amount").asText())
          .isEqualTo("5.40"); // 4.90 + 0.50 a line
      service.stopFakeShipping();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        statuses.add(client.get(quote).statusCode());
      }

      // 1 success and 3 failures make 50% of the 4-call window: the breaker opens.
      assertThat(statuses).containsExactly(502, 502, 502, 503, 503);
      assertThat(lintel.readiness().check("shipping-quotes").status())
          .isEqualTo(HealthStatus.DEGRADED);
    }
  }
}
