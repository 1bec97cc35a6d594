package dev.lintel.gateway;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
   * This response without a header.
   *
   * @param name the header's name, any case
   * @return a copy without the header
   */
  public Response withoutHeader(String name) {
    Map<String, String> fewer = new LinkedHashMap<>(headers);
    fewer.keySet().removeIf(key -> key.equalsIgnoreCase(name));
    return new Response(status, fewer, body);
  }

  /**
   * This response with another status.
   *
   * @param newStatus the status, 100..599
   * @return a copy with the status
   * @throws IllegalArgumentException if the status is not 100..599
   */
  public Response withStatus(int newStatus) {
    return new Response(newStatus, headers, body);
  }

  /**
   * This response with another body; the headers (including any {@code Content-Type}) stay.
   *
   * @param newBody the body
   * @return a copy with the body
   */
  public Response withBody(byte[] newBody) {
    return new Response(status, headers, newBody.clone());
  }

  /**
   * Reads a header.
   *
   * @param name the header's name, any case
   * @return its value, or null
   */
  public @Nullable String header(String name) {
    String exact = headers.get(name);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
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
