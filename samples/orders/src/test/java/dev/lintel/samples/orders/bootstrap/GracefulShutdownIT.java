package dev.lintel.samples.orders.bootstrap;

import static dev.lintel.samples.orders.bootstrap.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.Lintel;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import dev.lintel.testing.Eventually;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SIGTERM does (the JVM's shutdown hook calls the same {@code close()}): readiness goes DOWN,
 * new requests get 503, the request in flight finishes with its answer, then the service stops.
 */
class GracefulShutdownIT {
  @TempDir Path data;

  @Test
  void aRequestInFlightFinishesWhileNewOnesAreRefused() throws Exception {
    try (SlowShippingService shipping = new SlowShippingService()) {
      OrdersService service =
          OrdersService.start(
              OrdersConfig.from(
                  new String[] {"--data=" + data, "--port=0", "--shipping-url=" + shipping.uri()},
                  Map.of()));
      Lintel lintel = service.lintel();
      ApiClient client = TestOrders.client(service, "ada");
      OrderId order =
          TestOrders.placeAndAwaitReadSide(
              lintel,
              TestOrders.register(lintel, "ada"),
              new OrderLine("kbd", 1, Money.of("10", "EUR")));

      CompletableFuture<HttpResponse<String>> inFlight =
          CompletableFuture.supplyAsync(
              () -> client.get("/v1/orders/" + order + "/shipping-quote"));
      assertThat(shipping.arrived.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(service::close);
      Eventually.awaitTrue(() -> lintel.state() == Lintel.State.STOPPING, "stopping");

      HttpResponse<String> refused = client.get("/v1/orders/" + order);
      HttpResponse<String> readiness = client.get("/health/ready");
      shipping.release.countDown();

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(json(readiness).path("status").asText()).isEqualTo("DOWN");
      HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(json(finished).path("price").path("amount").asText()).isEqualTo("4.90");
      stopping.get(10, TimeUnit.SECONDS);
      assertThat(lintel.state()).isEqualTo(Lintel.State.STOPPED);
    }
  }
}
