package dev.lintel.samples.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Puts a {@link Pipeline} behind the JDK's {@code com.sun.net.httpserver.HttpServer}: each exchange
 * becomes a {@link Request} (method, raw path and query, headers, body up to 1 MiB, client address)
 * and the pipeline's {@link Response} is written back. The pipeline never throws, so neither does
 * this adapter, beyond the I/O errors of a client that went away.
 */
final class HttpServerAdapter implements HttpHandler {
  static final int MAX_BODY_BYTES = 1 << 20;

  private final Pipeline pipeline;

  HttpServerAdapter(Pipeline pipeline) {
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
      URI uri = exchange.getRequestURI();
      String target =
          uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
      Request request;
      try {
        request =
            Request.of(
                exchange.getRequestMethod(),
                target,
                exchange.getRequestHeaders(),
                body,
                exchange.getRemoteAddress().getAddress().getHostAddress());
      } catch (IllegalArgumentException badTarget) {
        send(exchange, Response.text(400, "bad request target"));
        return;
      }
      send(exchange, pipeline.handle(request));
    }
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    response.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] body = response.body();
    boolean empty = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(response.status(), empty ? -1 : body.length);
    if (!empty) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
