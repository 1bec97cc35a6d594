package dev.lintel.samples.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The downstream service behind the gateway's circuit-broken route: a real HTTP server on a
 * loopback port answering {@code GET /stock/<sku>}. Stopping it makes the gateway's calls fail for
 * real (connection refused), which opens the breaker.
 */
final class InventoryService implements AutoCloseable {
  private final HttpServer server;

  private InventoryService(HttpServer server) {
    this.server = server;
  }

  /** Starts the service on a free loopback port. */
  static InventoryService start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/stock/",
        exchange -> {
          try (exchange) {
            String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
            byte[] body =
                ("{\"sku\":\""
                        + sku.replaceAll("[^A-Za-z0-9-]", "")
                        + "\",\"available\":"
                        + Math.floorMod(sku.hashCode(), 100)
                        + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    return new InventoryService(server);
  }

  /** Where the service answers. */
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
