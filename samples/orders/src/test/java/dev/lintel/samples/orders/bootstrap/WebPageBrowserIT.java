package dev.lintel.samples.orders.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A person's view: the web page in a real (headless) browser places an order and lists it. */
class WebPageBrowserIT {
  @TempDir Path data;

  @Test
  void anOrderPlacedOnThePageAppearsInItsList() throws Exception {
    try (OrdersService service =
            OrdersService.start(
                OrdersConfig.from(new String[] {"--data=" + data, "--port=0"}, Map.of()));
        HeadlessChromium browser = HeadlessChromium.start()) {
      Lintel lintel = service.lintel();
      CustomerId grace = TestOrders.register(lintel, "grace");
      String token = service.tokens().issue("grace", Duration.ofMinutes(5));

      browser.open(URI.create(service.uri() + "/#token=" + token));
      browser.await(
          "document.readyState",
          value -> value.asText().equals("complete"),
          Duration.ofSeconds(10));
      browser.evaluate(
          "document.getElementById('email').value = 'grace@example.org';"
              + "document.getElementById('sku').value = 'wrist-rest';"
              + "document.getElementById('quantity').value = '3';"
              + "document.getElementById('price').value = '12.50';"
              + "document.getElementById('place').click();");
      String message =
          browser
              .await(
                  "document.getElementById('message').textContent",
                  value -> !value.asText().isEmpty() && !value.asText().equals("Placing..."),
                  Duration.ofSeconds(10))
              .asText();

      assertThat(message).startsWith("Placed order ");
      String orderId = message.substring("Placed order ".length());
      List<String> listed = new ArrayList<>();
      browser
          .evaluate("[...document.querySelectorAll('#orders tr')].map(row => row.dataset.orderId)")
          .forEach(id -> listed.add(id.asText()));
      assertThat(listed).contains(orderId);
      OrderView order = lintel.queries().ask(new GetOrder(new OrderId(orderId))).orElseThrow();
      assertThat(order.customerId()).isEqualTo(grace.value());
      assertThat(order.total()).isEqualTo(Money.of("37.50", "EUR"));
    }
  }
}
