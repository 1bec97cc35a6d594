package dev.lintel.samples.orders.adapters.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Puts a {@link Pipeline} behind the JDK's {@code HttpServer}: each exchange becomes a {@link
 * Request} (body up to 1 MiB) and the pipeline's {@link Response} is written back. A request the
 * SDK refuses to model (a method that is no token, a control character in the target or a header)
 * gets a 400. The same adapter as in {@code samples/gateway}.
 */
final class ExchangeAdapter implements HttpHandler {
  private static final int MAX_BODY_BYTES = 1 << 20;

  private final Pipeline pipeline;

  ExchangeAdapter(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        send(exchange, Response.text(413, "request body over " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      Request request;
      try {
        request =
            Request.of(
                exchange.getRequestMethod(),
                target(exchange.getRequestURI()),
                Headers.of(exchange.getRequestHeaders()),
                body,
                exchange.getRemoteAddress().getAddress().getHostAddress());
      } catch (IllegalArgumentException badRequest) {
        send(exchange, Response.text(400, "bad request"));
        return;
      }
      send(exchange, pipeline.handle(request));
    }
  }

  private static String target(URI uri) {
    return uri.getRawQuery() == null
        ? uri.getRawPath()
        : uri.getRawPath() + "?" + uri.getRawQuery();
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    for (Headers.Field header : response.headers().fields()) {
      exchange.getResponseHeaders().add(header.name(), header.value());
    }
    boolean empty = response.bodyLength() == 0 || "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(response.status(), empty ? -1 : response.bodyLength());
    if (!empty) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }
}
