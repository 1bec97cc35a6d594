package dev.lintel.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request: method, path, query, {@link Headers}, body and client address, plus what filters
 * learnt about it on the way in (the authenticated principal and typed attributes).
 *
 * <p>A plain immutable value: nothing about it changes after it is made, and it holds no state of
 * the pipeline that carries it. The {@code with...} methods return changed copies; a filter that
 * changes the request, for example to record who is calling, passes the copy on:
 *
 * <pre>{@code
 * return next.proceed(request.withPrincipal(user).withAttribute(TENANT, tenant));
 * }</pre>
 *
 * The filters and handler further in see the copy; the original (and filters further out) do not
 * change. Thread-safe. Two requests are equal when all their parts are; {@link #toString()} shows
 * the method and path only, since the query, headers, body and attributes may carry secrets.
 */
public final class Request {
  private final String method;
  private final String path;
  private final String query;
  private final Headers headers;
  private final byte[] body;
  private final String remoteAddress;
  private final @Nullable String principal;
  private final Attributes attributes;

  private Request(
      String method,
      String path,
      String query,
      Headers headers,
      byte[] body,
      String remoteAddress,
      @Nullable String principal,
      Attributes attributes) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.remoteAddress = remoteAddress;
    this.principal = principal;
    this.attributes = attributes;
  }

  /**
   * Makes a request, as an HTTP server adapter does for each exchange.
   *
   * @param method the HTTP method, for example {@code GET}; kept upper-case
   * @param target the path, starting with {@code /}, optionally followed by {@code ?} and the raw
   *     query string
   * @param headers the headers
   * @param body the body, possibly empty; copied
   * @param remoteAddress the client's address, for per-IP limits
   * @return the request, without principal or attributes
   * @throws IllegalArgumentException if the method is not an HTTP token (RFC 9110), or the target
   *     does not start with {@code /} or holds a control character
   * @throws NullPointerException if an argument is null
   */
  public static Request of(
      String method, String target, Headers headers, byte[] body, String remoteAddress) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    if (method.isEmpty() || !method.chars().allMatch(Headers::isTokenChar)) {
      throw new IllegalArgumentException(
          "request method must be an HTTP token but was '"
              + method.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException(
          "request path must start with '/' but was '"
              + target.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    requireNoControlCharacters(target);
    int mark = target.indexOf('?');
    return new Request(
        method.toUpperCase(Locale.ROOT),
        mark < 0 ? target : target.substring(0, mark),
        mark < 0 ? "" : target.substring(mark + 1),
        headers,
        body.clone(),
        remoteAddress,
        null,
        Attributes.EMPTY);
  }

  /**
   * Makes a request without headers or body, from {@code 127.0.0.1}; handy in tests.
   *
   * @param method the method
   * @param target the path, optionally with {@code ?query}
   * @return the request
   * @throws IllegalArgumentException as {@link #of(String, String, Headers, byte[], String)}
   */
  public static Request of(String method, String target) {
    return of(method, target, Headers.of(), new byte[0], "127.0.0.1");
  }

  private static void requireNoControlCharacters(String target) {
    for (int i = 0; i < target.length(); i++) {
      if (Character.isISOControl(target.charAt(i))) {
        throw new IllegalArgumentException(
            "request target holds a control character at index " + i);
      }
    }
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
   * Tells the path, without the query string.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Tells the raw (still percent-encoded) query string, without the {@code ?}.
   *
   * @return the query, empty if there is none
   */
  public String query() {
    return query;
  }

  /**
   * Reads the first value of a query parameter, percent-decoded as UTF-8. A malformed escape is
   * taken literally rather than failing the request.
   *
   * @param name the parameter's name, as it is written (case-sensitive)
   * @return its first value (empty for {@code ?flag}), or null if absent
   */
  public @Nullable String queryParameter(String name) {
    Objects.requireNonNull(name, "name");
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      if (key.equals(name)) {
        return equals < 0 ? "" : decode(pair.substring(equals + 1));
      }
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      return text;
    }
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
   * Tells the client's address.
   *
   * @return the address
   */
  public String remoteAddress() {
    return remoteAddress;
  }

  /**
   * Tells who is calling, as an authentication filter established it with {@link #withPrincipal}.
   *
   * @return the principal, or null if no filter authenticated the request
   */
  public @Nullable String principal() {
    return principal;
  }

  /**
   * Reads an attribute a filter (or the router) attached.
   *
   * @param key the attribute's key
   * @param <T> the type of its value
   * @return its value, or null if none is attached
   * @throws ClassCastException if the value was attached under an equally named key of another
   *     type; the message names the attribute
   */
  public <T> @Nullable T attribute(AttributeKey<T> key) {
    return key.cast(attributes.get(Objects.requireNonNull(key, "key")));
  }

  /**
   * This request at another path, with the same query and everything else.
   *
   * @param newPath the path, starting with {@code /}, without a query
   * @return the changed copy
   * @throws IllegalArgumentException if the path does not start with {@code /}, or holds a {@code
   *     ?} or a control character
   */
  public Request withPath(String newPath) {
    Objects.requireNonNull(newPath, "newPath");
    if (!newPath.startsWith("/") || newPath.indexOf('?') >= 0) {
      throw new IllegalArgumentException(
          "request path must start with '/' and hold no '?' but was '"
              + newPath.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    requireNoControlCharacters(newPath);
    return new Request(method, newPath, query, headers, body, remoteAddress, principal, attributes);
  }

  /**
   * This request with a header set to one value, replacing any values it had (see {@link
   * Headers#with}).
   *
   * @param name the header's name
   * @param value its value
   * @return the changed copy
   * @throws IllegalArgumentException if the name is not an HTTP token or the value holds a control
   *     character
   */
  public Request withHeader(String name, String value) {
    return withHeaders(headers.with(name, value));
  }

  /**
   * This request without a header.
   *
   * @param name the header's name, any case
   * @return the changed copy
   */
  public Request withoutHeader(String name) {
    return withHeaders(headers.without(name));
  }

  /**
   * This request with other headers.
   *
   * @param newHeaders the headers
   * @return the changed copy
   */
  public Request withHeaders(Headers newHeaders) {
    return new Request(
        method,
        path,
        query,
        Objects.requireNonNull(newHeaders, "newHeaders"),
        body,
        remoteAddress,
        principal,
        attributes);
  }

  /**
   * This request with another body.
   *
   * @param newBody the body, possibly empty; copied
   * @return the changed copy
   */
  public Request withBody(byte[] newBody) {
    return new Request(
        method, path, query, headers, newBody.clone(), remoteAddress, principal, attributes);
  }

  /**
   * This request as made by an authenticated caller; for authentication filters, which pass the
   * copy on to the rest of the pipeline.
   *
   * @param newPrincipal who is calling, as the authentication established it
   * @return the changed copy
   * @throws NullPointerException if the principal is null
   */
  public Request withPrincipal(String newPrincipal) {
    return new Request(
        method,
        path,
        query,
        headers,
        body,
        remoteAddress,
        Objects.requireNonNull(newPrincipal, "principal"),
        attributes);
  }

  /**
   * This request with an attribute attached, replacing the value of an equally named key.
   *
   * @param key the attribute's key
   * @param value its value
   * @param <T> the type of its value
   * @return the changed copy
   * @throws IllegalArgumentException if the value is not of the key's type (possible only through
   *     unchecked casts); the message names the attribute
   * @throws NullPointerException if the key or value is null
   */
  public <T> Request withAttribute(AttributeKey<T> key, T value) {
    Objects.requireNonNull(key, "key").requireValue(value);
    return new Request(
        method, path, query, headers, body, remoteAddress, principal, attributes.with(key, value));
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Request that
        && method.equals(that.method)
        && path.equals(that.path)
        && query.equals(that.query)
        && headers.equals(that.headers)
        && Arrays.equals(body, that.body)
        && remoteAddress.equals(that.remoteAddress)
        && Objects.equals(principal, that.principal)
        && attributes.equals(that.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        method, path, query, headers, Arrays.hashCode(body), remoteAddress, principal, attributes);
  }

  @Override
  public String toString() {
    return "Request[" + method + " " + path + "]";
  }
}
