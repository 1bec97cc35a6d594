package dev.lintel.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response: a status, {@link Headers} and a body.
 *
 * <p>Immutable: the body is copied when a response is made and {@link #body()} hands out a copy, so
 * no caller can change a response that another caller (or a cache) holds; {@link #bodyLength()} and
 * {@link #bodyText()} read the body without copying it, and the {@code with...} copies share it.
 * Thread-safe. Two responses are equal when their status, headers and body bytes are; {@link
 * #toString()} shows the status, header names and body length only.
 *
 * <p>Shared cache levels keep responses as JSON: sdk-core's {@code GatewayJacksonModule} (found by
 * Jackson's {@code findAndAddModules()}) maps them to {@code {"status", "headers", "body"}}, the
 * body in base64.
 */
public final class Response {
  private static final Headers TEXT = Headers.of("Content-Type", "text/plain; charset=utf-8");

  private final int status;
  private final Headers headers;
  private final byte[] body;

  /** Takes the body as it is: only for arrays no one else holds. */
  private Response(int status, Headers headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599 but was " + status);
    }
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
  }

  /**
   * Makes a response.
   *
   * @param status the HTTP status, 100..599
   * @param headers the headers
   * @param body the body, possibly empty; copied
   * @return the response
   * @throws IllegalArgumentException if the status is not 100..599
   * @throws NullPointerException if the headers or body are null
   */
  public static Response of(int status, Headers headers, byte[] body) {
    return new Response(status, headers, Objects.requireNonNull(body, "body").clone());
  }

  /**
   * A response with a UTF-8 text body and {@code Content-Type: text/plain; charset=utf-8}.
   *
   * @param status the status, 100..599
   * @param text the body
   * @return the response
   * @throws IllegalArgumentException if the status is not 100..599
   */
  public static Response text(int status, String text) {
    return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
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
   * Tells the status.
   *
   * @return the HTTP status, 100..599
   */
  public int status() {
    return status;
  }

  /**
   * Reads every header.
   *
   * @return the headers
   */
  public Headers headers() {
    return headers;
  }

  /**
   * Reads the body.
   *
   * @return a copy of the body
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * Tells the body's length without copying it.
   *
   * @return the number of bytes in the body
   */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Reads the body as UTF-8 text.
   *
   * @return the text
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Reads the first value of a header.
   *
   * @param name the header's name, any case
   * @return its first value, or null
   */
  public @Nullable String header(String name) {
    return headers.first(name);
  }

  /**
   * This response with a header set to one value, replacing any values it had (see {@link
   * Headers#with}).
   *
   * @param name the header's name
   * @param value its value
   * @return the changed copy
   * @throws IllegalArgumentException if the name is not an HTTP token or the value holds a control
   *     character
   */
  public Response withHeader(String name, String value) {
    return withHeaders(headers.with(name, value));
  }

  /**
   * This response without a header.
   *
   * @param name the header's name, any case
   * @return the changed copy
   */
  public Response withoutHeader(String name) {
    return withHeaders(headers.without(name));
  }

  /**
   * This response with other headers, for example {@code
   * response.withHeaders(response.headers().withAdded("Set-Cookie", cookie))}.
   *
   * @param newHeaders the headers
   * @return the changed copy
   */
  public Response withHeaders(Headers newHeaders) {
    return new Response(status, Objects.requireNonNull(newHeaders, "newHeaders"), body);
  }

  /**
   * This response with another status.
   *
   * @param newStatus the status, 100..599
   * @return the changed copy
   * @throws IllegalArgumentException if the status is not 100..599
   */
  public Response withStatus(int newStatus) {
    return new Response(newStatus, headers, body);
  }

  /**
   * This response with another body; the headers (including any {@code Content-Type}) stay.
   *
   * @param newBody the body; copied
   * @return the changed copy
   */
  public Response withBody(byte[] newBody) {
    return new Response(status, headers, newBody.clone());
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Response that
        && status == that.status
        && headers.equals(that.headers)
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "Response[" + status + ", " + headers + ", " + body.length + " bytes]";
  }
}
