package dev.lintel.samples.gateway;

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
 * Puts a {@link Pipeline} behind the JDK's {@code com.sun.net.httpserver.HttpServer}: each exchange
 * becomes a {@link Request} (method, raw path and query, headers, body up to 1 MiB, client address)
 * and the pipeline's {@link Response} is written back, every header value included. A request the
 * SDK refuses to model (a method that is no token, a control character in the target or a header)
 * gets a 400. The pipeline never throws, so neither does this adapter, beyond the I/O errors of a
 * client that went away.
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
                Headers.of(exchange.getRequestHeaders()),
                body,
                exchange.getRemoteAddress().getAddress().getHostAddress());
      } catch (IllegalArgumentException badRequest) { // a bad method, target or header
        send(exchange, Response.text(400, "bad request"));
        return;
      }
      send(exchange, pipeline.handle(request));
    }
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
