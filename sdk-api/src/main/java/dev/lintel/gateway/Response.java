package dev.lintel.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response: a status, headers and a body. Immutable; {@link #withHeader} returns a copy.
 *
 * @param status the HTTP status
 * @param headers the headers
 * @param body the body
 */
public record Response(int status, Map<String, String> headers, byte[] body) {

  /**
   * Validates the response and copies the headers.
   *
   * @throws IllegalArgumentException if the status is not 100..599
   */
  public Response {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599 but was " + status);
    }
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    Objects.requireNonNull(body, "body");
  }

  /**
   * A response with a text body.
   *
   * @param status the status
   * @param text the body, sent as UTF-8 text
   * @return the response
   */
  public static Response text(int status, String text) {
    return new Response(
        status,
        Map.of("Content-Type", "text/plain; charset=utf-8"),
        text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A 200 response with a text body.
   *
   * @param text the body
   * @return the response
   */
  public static Response ok(String text) {
    return text(200, text);
  }

  /**
   * This response with one more header.
   *
   * @param name the header's name
   * @param value its value
   * @return a copy with the header
   */
  public Response withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, more, body);
  }

  /**
   * Reads the body as UTF-8 text.
   *
   * @return the text
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
