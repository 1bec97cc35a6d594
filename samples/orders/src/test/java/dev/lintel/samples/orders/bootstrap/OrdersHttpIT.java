package dev.lintel.samples.orders.bootstrap;

import static dev.lintel.samples.orders.bootstrap.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lintel.flags.Flag;
import dev.lintel.samples.orders.adapters.flags.FlagExpressShipping;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderStatus;
import dev.lintel.testing.Eventually;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API end to end on a running service (H2 files, the plugin jar from its directory, a free
 * port): authentication, versions, the rate limit, health and the express-shipping flag.
 */
class OrdersHttpIT {
  @TempDir static Path data;
  private static OrdersService service;

  @BeforeAll
  static void start() throws Exception {
    service =
        OrdersService.start(
            OrdersConfig.from(
                new String[] {"--data=" + data, "--port=0", "--rate-limit=10"}, Map.of()));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static ApiClient as(String user) {
    return TestOrders.client(service, user);
  }

  private static ApiClient anonymous() {
    return new ApiClient(service.uri(), null);
  }

  @Test
  void theApiWantsAValidTokenButHealthAndThePageArePublic() {
    String forged = as("ada").token().replaceAll(".{4}$", "AAAA");

    assertThat(anonymous().get("/v1/orders").statusCode()).isEqualTo(401);
    assertThat(new ApiClient(service.uri(), forged).get("/v1/orders").statusCode()).isEqualTo(401);
    assertThat(as("ada").get("/v1/orders").statusCode()).isEqualTo(200);
    assertThat(anonymous().get("/health/live").statusCode()).isEqualTo(200);
    assertThat(json(anonymous().get("/health/ready")).path("status").asText()).isEqualTo("UP");
    assertThat(anonymous().get("/").body()).contains("<h1>Orders</h1>");
  }

  @Test
  void everyResponseCarriesTheHeadersOfThePluginJar() {
    HttpResponse<String> refused = anonymous().get("/v1/orders");

    assertThat(refused.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(refused.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(policy -> assertThat(policy).contains("default-src 'self'"));
  }

  @Test
  void anOrderGoesFromPlacedToShippedAndReadsInBothVersions() {
    ApiClient ada = as("ada-flow");
    service.flagStore().put(Flag.rollout(FlagExpressShipping.FLAG, 100));
    HttpResponse<String> registered =
        ada.post("/v1/customers", "{\"name\":\"Ada\",\"email\":\"ada.flow@example.org\"}");
    assertThat(registered.statusCode()).isEqualTo(201);
    String customerId = json(registered).path("id").asText();
    assertThat(json(ada.get("/v1/customers?email=ADA.flow@example.org")).path("id").asText())
        .isEqualTo(customerId);

    HttpResponse<String> placed =
        ada.post(
            "/v1/orders",
            "{\"customerId\":\""
                + customerId
                + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"kbd\",\"quantity\":2,"
                + "\"unitPrice\":\"49.90\"}]}");
    assertThat(placed.statusCode()).isEqualTo(201);
    String orderId = json(placed).path("id").asText();
    assertThat(placed.headers().firstValue("Location")).contains("/v1/orders/" + orderId);
    awaitProjected(orderId, OrderStatus.PLACED);

    JsonNode v1 = json(ada.get("/v1/orders/" + orderId));
    assertThat(v1.path("total").asText()).isEqualTo("99.80");
    assertThat(v1.path("currency").asText()).isEqualTo("EUR");
    JsonNode v2 = json(ada.get("/v2/orders/" + orderId));
    assertThat(v2.path("total").path("amount").asText()).isEqualTo("99.80");
    assertThat(v2.path("customer").path("id").asText()).isEqualTo(customerId);

    HttpResponse<String> underpaid =
        ada.post(
            "/v1/orders/" + orderId + "/payment", "{\"amount\":\"10.00\",\"currency\":\"EUR\"}");
    assertThat(underpaid.statusCode()).isEqualTo(422);
    assertThat(json(underpaid).path("error").asText()).contains("costs 99.80 EUR, not 10.00 EUR");
    assertThat(
            ada.post(
                    "/v1/orders/" + orderId + "/payment",
                    "{\"amount\":\"99.80\",\"currency\":\"EUR\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> shipped = ada.post("/v1/orders/" + orderId + "/shipment", "");
    assertThat(json(shipped).path("status").asText()).isEqualTo("SHIPPED");

    awaitProjected(orderId, OrderStatus.SHIPPED);
    assertThat(json(ada.get("/v1/orders/" + orderId)).path("express").asBoolean()).isTrue();
  }

  @Test
  void badRequestsAreAnsweredWithTheReason() {
    ApiClient ada = as("ada-bad");

    HttpResponse<String> notJson = ada.post("/v1/orders", "{");
    HttpResponse<String> unknownCustomer =
        ada.post("/v1/orders", "{\"customerId\":\"nobody\",\"currency\":\"EUR\",\"lines\":[]}");
    HttpResponse<String> missing = ada.get("/v1/orders/no-such-order");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(unknownCustomer.statusCode()).isEqualTo(422);
    assertThat(json(unknownCustomer).path("error").asText()).isEqualTo("unknown customer nobody");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(ada.get("/v3/orders").statusCode()).isEqualTo(404);
  }

  @Test
  void eachUserGetsABurstOfTenThenWaits() {
    ApiClient mallory = as("mallory");
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      responses.add(mallory.get("/v1/orders?limit=1"));
    }

    assertThat(responses.subList(0, 10)).extracting(HttpResponse::statusCode).containsOnly(200);
    HttpResponse<String> limited =
        responses.stream()
            .filter(response -> response.statusCode() == 429)
            .findFirst()
            .orElseThrow();
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(as("someone-else").get("/v1/orders?limit=1").statusCode()).isEqualTo(200);
  }

  private static void awaitProjected(String orderId, OrderStatus status) {
    Eventually.awaitTrue(
        () ->
            service
                .lintel()
                .queries()
                .ask(new GetOrder(new OrderId(orderId)))
                .map(order -> order.status() == status)
                .orElse(false),
        orderId + " " + status + " in the read model");
  }
}
