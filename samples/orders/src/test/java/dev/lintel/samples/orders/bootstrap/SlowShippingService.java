package dev.lintel.samples.orders.bootstrap;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A shipping service that holds each quote until the test releases it: a request in flight. */
final class SlowShippingService implements AutoCloseable {
  final CountDownLatch arrived = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  private final HttpServer server;

  SlowShippingService() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/quote",
        exchange -> {
          try (exchange) {
            arrived.countDown();
            release.await(5, TimeUnit.SECONDS);
            byte[] body = "{\"price\":\"4.90\",\"days\":3}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
