package dev.lintel.samples.orders.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Stands in for the shipping company's quote service, which the embedded demo has no access to: a
 * real HTTP server on a free loopback port answering {@code GET /quote?...} with a price (4.90,
 * plus 0.50 a line, doubled for express, free from 100). Stopping it makes calls fail for real
 * (connection refused), which opens the service's circuit breaker.
 */
final class FakeShippingService implements AutoCloseable {
  private final HttpServer server;

  private FakeShippingService(HttpServer server) {
    this.server = server;
  }

  static FakeShippingService start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/quote", FakeShippingService::quote);
    server.start();
    return new FakeShippingService(server);
  }

  private static void quote(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> query = query(exchange.getRequestURI());
      byte[] body;
      int status;
      try {
        BigDecimal total = new BigDecimal(query.getOrDefault("total", "0"));
        int lines = Integer.parseInt(query.getOrDefault("lines", "0"));
        boolean express = Boolean.parseBoolean(query.get("express"));
        BigDecimal price =
            total.compareTo(BigDecimal.valueOf(100)) >= 0
                ? BigDecimal.ZERO
                : new BigDecimal("4.90")
                    .add(new BigDecimal("0.50").multiply(BigDecimal.valueOf(lines)));
        if (express) {
          price = price.multiply(BigDecimal.valueOf(2));
        }
        body =
            ("{\"price\":\"" + price.setScale(2) + "\",\"days\":" + (express ? 1 : 3) + "}")
                .getBytes(StandardCharsets.UTF_8);
        status = 200;
      } catch (NumberFormatException e) {
        body = "{\"error\":\"bad query\"}".getBytes(StandardCharsets.UTF_8);
        status = 400;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> parameters = new HashMap<>();
    String raw = uri.getQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
      }
    }
    return parameters;
  }

  URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  /** Stops answering: from now on connections are refused. */
  @Override
  public void close() {
    server.stop(0);
  }
}
