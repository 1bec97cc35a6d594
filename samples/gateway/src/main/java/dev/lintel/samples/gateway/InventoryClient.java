package dev.lintel.samples.gateway;

import dev.lintel.core.gateway.Pipeline;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The handler of {@code GET /api/stock/{sku}}: asks the inventory service, with short timeouts. An
 * unreachable or failing service is a 502, which the route's circuit breaker counts as a failure.
 */
final class InventoryClient implements Handler {
  private static final AttributeKey<String> SKU = Pipeline.pathParameter("sku");

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  InventoryClient(URI base) {
    this.base = base;
  }

  @Override
  public Response handle(Request request) throws InterruptedException {
    String sku = request.attribute(SKU);
    HttpRequest call =
        HttpRequest.newBuilder(base.resolve("/stock/" + sku))
            .timeout(Duration.ofSeconds(1))
            .GET()
            .build();
    try {
      HttpResponse<byte[]> answer = http.send(call, HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        return Response.text(502, "inventory answered " + answer.statusCode());
      }
      return Response.of(200, Headers.of("Content-Type", "application/json"), answer.body());
    } catch (IOException unreachable) {
      return Response.text(502, "inventory unavailable");
    }
  }
}
