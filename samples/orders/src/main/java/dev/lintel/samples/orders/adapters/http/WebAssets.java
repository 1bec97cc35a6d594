package dev.lintel.samples.orders.adapters.http;

import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Serves the web page's files from the class path ({@code /web/...}), read once at start. */
final class WebAssets {
  private WebAssets() {}

  static Handler file(String name, String contentType) {
    byte[] content = read("/web/" + name);
    Response response =
        Response.of(
            200, Headers.of("Content-Type", contentType, "Cache-Control", "no-cache"), content);
    return request -> response;
  }

  private static byte[] read(String resource) {
    try (InputStream in =
        Objects.requireNonNull(
            WebAssets.class.getResourceAsStream(resource), resource + " is missing")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
