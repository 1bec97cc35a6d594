package dev.lintel.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A request going through the pipeline. Method, path, headers (names case-insensitive) and body are
 * fixed when it is built; filters attach what they learn: the authenticated principal and
 * attributes (for example the token's claims or path parameters). One request is handled by one
 * thread at a time; attributes are safe to read from others.
 */
public final class Request {
  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String remoteAddress;
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();
  private volatile @Nullable String principal;

  private Request(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      String remoteAddress) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.remoteAddress = remoteAddress;
  }

  /**
   * Builds a request.
   *
   * @param method the HTTP method, for example {@code GET}
   * @param path the path, starting with {@code /}, without the query string
   * @param headers the headers; names are matched case-insensitively
   * @param body the body, possibly empty
   * @param remoteAddress the client's address, for per-IP limits
   * @return the request
   * @throws IllegalArgumentException if the path does not start with {@code /}
   */
  public static Request of(
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      String remoteAddress) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("request path must start with '/' but was '" + path + "'");
    }
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return new Request(
        method.toUpperCase(Locale.ROOT),
        path,
        copy,
        body.clone(),
        Objects.requireNonNull(remoteAddress, "remoteAddress"));
  }

  /**
   * A request without headers or body, from a local address; handy in tests.
   *
   * @param method the method
   * @param path the path
   * @return the request
   */
  public static Request of(String method, String path) {
    return of(method, path, Map.of(), new byte[0], "127.0.0.1");
  }

  /**
   * Tells the method, upper-case.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * Tells the path.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Reads the first value of a header.
   *
   * @param name the header's name, any case
   * @return its first value, or null
   */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
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
   * Tells the client's address.
   *
   * @return the address
   */
  public String remoteAddress() {
    return remoteAddress;
  }

  /**
   * Tells who is calling, once an authentication filter established it.
   *
   * @return the principal, or null
   */
  public @Nullable String principal() {
    return principal;
  }

  /**
   * Records who is calling; for authentication filters.
   *
   * @param principal the authenticated principal
   */
  public void authenticate(String principal) {
    this.principal = Objects.requireNonNull(principal, "principal");
  }

  /**
   * Reads an attribute a filter attached.
   *
   * @param name the attribute's name
   * @return its value, or null
   */
  public @Nullable Object attribute(String name) {
    return attributes.get(name);
  }

  /**
   * Attaches an attribute.
   *
   * @param name the attribute's name
   * @param value its value
   */
  public void attribute(String name, Object value) {
    attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
  }
}
