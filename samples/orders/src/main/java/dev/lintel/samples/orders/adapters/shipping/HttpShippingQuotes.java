package dev.lintel.samples.orders.adapters.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.application.ShippingQuotes;
import dev.lintel.samples.orders.domain.Money;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the shipping company's quote service over HTTP ({@code GET /quote?currency=&total=&lines=
 * &express=}, answering {@code {"price": "4.90", "days": 3}}), with short timeouts. Any failure is
 * a {@link ShippingUnavailableException}; the circuit breaker around the HTTP route that calls this
 * stops calling while the service keeps failing.
 */
public final class HttpShippingQuotes implements ShippingQuotes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /**
   * Creates the client.
   *
   * @param base where the quote service answers
   */
  public HttpShippingQuotes(URI base) {
    this.base = base;
  }

  @Override
  public ShippingQuote quote(OrderView order, boolean express) {
    URI uri =
        base.resolve(
            "/quote?currency="
                + order.total().currency().getCurrencyCode()
                + "&total="
                + order.total().decimal()
                + "&lines="
                + order.lines()
                + "&express="
                + express);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new ShippingUnavailableException(
            "the shipping service answered " + answer.statusCode(), null);
      }
      JsonNode quote = JSON.readTree(answer.body());
      return new ShippingQuote(
          Money.of(quote.path("price").asText(), order.total().currency().getCurrencyCode()),
          quote.path("days").asInt(),
          express);
    } catch (IOException e) {
      throw new ShippingUnavailableException("the shipping service is unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShippingUnavailableException("interrupted while asking for a quote", e);
    }
  }
}
