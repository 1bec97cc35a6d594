package dev.lintel.samples.orders.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.flags.Flag;
import dev.lintel.samples.orders.adapters.flags.FlagExpressShipping;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.domain.OrderId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The scripted tour of {@code --demo}: it calls the running service over HTTP the way a client
 * would, prints one line per call with the status it expected and got, and tells whether every
 * answer was the expected one.
 */
final class DemoTour {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final OrdersService service;
  private final PrintStream out;
  private final URI base;
  private boolean allAsExpected = true;

  DemoTour(OrdersService service, PrintStream out) {
    this.service = service;
    this.out = out;
    this.base = service.uri();
  }

  /**
   * Runs the tour.
   *
   * @return whether every answer was the expected one
   */
  boolean run() throws InterruptedException {
    String ada = service.tokens().issue("ada", Duration.ofMinutes(10));
    String mallory = service.tokens().issue("mallory", Duration.ofMinutes(10));
    out.println("Lintel orders service on " + base);

    section("Authentication (JWT) and versions");
    call("no token", "GET", "/v1/orders?limit=1", null, null, 401);
    call("forged token", "GET", "/v1/orders?limit=1", forged(ada), null, 401);
    JsonNode recent =
        call("newest imported order, v1", "GET", "/v1/orders?limit=1", ada, null, 200);
    String imported = recent.path("orders").path(0).path("id").asText("h-00001");
    call("the same order, v2 shape", "GET", "/v2/orders/" + imported, ada, null, 200);

    section("Customers on two shards, found by e-mail address");
    JsonNode customer =
        call(
            "look up ada@example.org", "GET", "/v1/customers?email=ada@example.org", ada, null, -1);
    String customerId = customer.path("id").asText("");
    if (customerId.isEmpty()) {
      customerId =
          call(
                  "register Ada",
                  "POST",
                  "/v1/customers",
                  ada,
                  "{\"name\":\"Ada\",\"email\":\"ada@example.org\"}",
                  201)
              .path("id")
              .asText();
    }

    section("An order's life: event-sourced writes, projected and cached reads");
    String orderId =
        call(
                "place an order",
                "POST",
                "/v1/orders",
                ada,
                "{\"customerId\":\""
                    + customerId
                    + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"keyboard\",\"quantity\":2,"
                    + "\"unitPrice\":\"49.90\"}]}",
                201)
            .path("id")
            .asText();
    awaitReadSide(orderId);
    call("read it (read side, cached)", "GET", "/v1/orders/" + orderId, ada, null, 200);
    call(
        "add a line in USD",
        "POST",
        "/v1/orders/" + orderId + "/lines",
        ada,
        "{\"sku\":\"mouse\",\"quantity\":1,\"unitPrice\":\"20\",\"currency\":\"USD\"}",
        422);
    call(
        "pay too little",
        "POST",
        "/v1/orders/" + orderId + "/payment",
        ada,
        "{\"amount\":\"10.00\",\"currency\":\"EUR\"}",
        422);
    call(
        "pay the total",
        "POST",
        "/v1/orders/" + orderId + "/payment",
        ada,
        "{\"amount\":\"99.80\",\"currency\":\"EUR\"}",
        200);

    section("Feature flag express-shipping (a percentage rollout) and the shipping service");
    service.flagStore().put(Flag.rollout(FlagExpressShipping.FLAG, 100));
    out.println("  (rollout set to 100% for the tour)");
    String quote = "/v1/orders/" + orderId + "/shipping-quote";
    call("quote shipping (express)", "GET", quote, ada, null, 200);
    service.stopFakeShipping();
    out.println("  -- shipping service stopped --");
    for (int i = 0; i < 3; i++) {
      call("quote, service gone", "GET", quote, ada, null, 502);
    }
    call("quote, breaker now open", "GET", quote, ada, null, 503);
    call("readiness (breaker DEGRADED)", "GET", "/health/ready", null, null, 200);
    call("liveness", "GET", "/health/live", null, null, 200);
    call("ship (express)", "POST", "/v1/orders/" + orderId + "/shipment", ada, "", 200);

    section("Rate limit per user");
    // Sent at once, so that the bucket (burst 20) cannot refill in between, however slow the
    // machine.
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      burst.add(
          HTTP.sendAsync(
              request("GET", "/v1/orders?limit=1", mallory, null), BodyHandlers.ofString()));
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> response : burst) {
      statuses.merge(response.join().statusCode(), 1, Integer::sum);
    }
    boolean limited = statuses.containsKey(429);
    allAsExpected &= limited;
    out.printf("  %s mallory, 40 requests at once: status -> count %s%n", mark(limited), statuses);
    return allAsExpected;
  }

  /**
   * Waits (up to 5 s) until the projection has the order, asking the query bus directly rather than
   * over HTTP, where each poll would spend one of the user's rate-limit tokens.
   */
  private void awaitReadSide(String orderId) throws InterruptedException {
    GetOrder query = new GetOrder(new OrderId(orderId));
    for (int i = 0; i < 250 && service.lintel().queries().ask(query).isEmpty(); i++) {
      Thread.sleep(20);
    }
  }

  private void section(String title) {
    out.println();
    out.println(title);
  }

  /** Sends a request, prints the line, and checks the status unless {@code expected} is -1. */
  private JsonNode call(
      String what,
      String method,
      String path,
      @Nullable String token,
      @Nullable String body,
      int expected) {
    HttpResponse<String> response = send(method, path, token, body);
    boolean asExpected = expected == -1 || response.statusCode() == expected;
    allAsExpected &= asExpected;
    String text = response.body().replace('\n', ' ');
    out.printf(
        "  %s %-30s %-4s %-40s -> %d %s%n",
        mark(asExpected),
        what,
        method,
        path.length() > 40 ? path.substring(0, 37) + "..." : path,
        response.statusCode(),
        text.length() > 90 ? text.substring(0, 87) + "..." : text);
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException notJson) {
      return JSON.createObjectNode();
    }
  }

  private HttpResponse<String> send(
      String method, String path, @Nullable String token, @Nullable String body) {
    try {
      return HTTP.send(request(method, path, token, body), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest request(
      String method, String path, @Nullable String token, @Nullable String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return request.build();
  }

  private static String forged(String token) {
    return token.substring(0, token.length() - 4) + "AAAA";
  }

  private static String mark(boolean asExpected) {
    return asExpected ? "ok " : "!! ";
  }
}
