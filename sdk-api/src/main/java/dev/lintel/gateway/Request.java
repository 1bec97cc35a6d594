package dev.lintel.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A request going through the pipeline. Method, path, query, headers (names case-insensitive) and
 * body are fixed when it is built; the {@code with...} methods return changed copies, for filters
 * that transform requests. Filters attach what they learn: the authenticated principal and
 * attributes (for example the token's claims or path parameters). A copy and its original are one
 * request in flight: they share the principal, the attributes and the arrival time, so a filter
 * further out sees what was learnt on a copy further in. One request is handled by one thread at a
 * time; the principal and attributes are safe to read from others.
 */
public final class Request {
  /** What {@link #receivedNanos()} answers before a pipeline took the request. */
  public static final long NOT_RECEIVED = Long.MIN_VALUE;

  private final String method;
  private final String path;
  private final String query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String remoteAddress;
  private final InFlight inFlight;

  /** What a request and its copies learn on the way: shared by them all. */
  private static final class InFlight {
    final Map<String, Object> attributes = new ConcurrentHashMap<>();
    volatile @Nullable String principal;
    long receivedNanos = NOT_RECEIVED;
  }

  private Request(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      byte[] body,
      String remoteAddress,
      InFlight inFlight) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.remoteAddress = remoteAddress;
    this.inFlight = inFlight;
  }

  /**
   * Builds a request.
   *
   * @param method the HTTP method, for example {@code GET}
   * @param target the path, starting with {@code /}, optionally followed by {@code ?} and the raw
   *     query string
   * @param headers the headers; names are matched case-insensitively
   * @param body the body, possibly empty
   * @param remoteAddress the client's address, for per-IP limits
   * @return the request
   * @throws IllegalArgumentException if the method is not an HTTP token (RFC 9110), or the target
   *     does not start with {@code /} or holds a control character
   */
  public static Request of(
      String method,
      String target,
      Map<String, List<String>> headers,
      byte[] body,
      String remoteAddress) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    if (method.isEmpty() || !method.chars().allMatch(Request::isTokenChar)) {
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
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return new Request(
        method.toUpperCase(Locale.ROOT),
        mark < 0 ? target : target.substring(0, mark),
        mark < 0 ? "" : target.substring(mark + 1),
        Collections.unmodifiableMap(copy),
        body.clone(),
        Objects.requireNonNull(remoteAddress, "remoteAddress"),
        new InFlight());
  }

  private static void requireNoControlCharacters(String target) {
    for (int i = 0; i < target.length(); i++) {
      if (Character.isISOControl(target.charAt(i))) {
        throw new IllegalArgumentException(
            "request target holds a control character at index " + i);
      }
    }
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /**
   * A request without headers or body, from a local address; handy in tests.
   *
   * @param method the method
   * @param target the path, optionally with {@code ?query}
   * @return the request
   */
  public static Request of(String method, String target) {
    return of(method, target, Map.of(), new byte[0], "127.0.0.1");
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
   * Reads the first value of a query parameter, percent-decoded as UTF-8.
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
      return text; // a malformed %-escape is taken literally rather than failing the request
    }
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
   * Reads every header.
   *
   * @return the headers by name (looked up case-insensitively); unmodifiable
   */
  public Map<String, List<String>> headers() {
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
    return inFlight.principal;
  }

  /**
   * Records who is calling; for authentication filters.
   *
   * @param principal the authenticated principal
   */
  public void authenticate(String principal) {
    inFlight.principal = Objects.requireNonNull(principal, "principal");
  }

  /**
   * Tells when a pipeline took this request, as a {@link System#nanoTime()} reading, so that the
   * filters and handlers that need the time (rate limits, breakers, access logs) share one clock
   * read per request.
   *
   * @return the reading, or {@link #NOT_RECEIVED} if no pipeline took the request yet
   */
  public long receivedNanos() {
    return inFlight.receivedNanos;
  }

  /**
   * Records when a pipeline took this request; pipelines call it once as a request comes in.
   *
   * @param nanoTime a {@link System#nanoTime()} reading
   */
  public void receivedAt(long nanoTime) {
    inFlight.receivedNanos = nanoTime;
  }

  /**
   * Reads an attribute a filter attached.
   *
   * @param name the attribute's name
   * @return its value, or null
   */
  public @Nullable Object attribute(String name) {
    return inFlight.attributes.get(name);
  }

  /**
   * Attaches an attribute.
   *
   * @param name the attribute's name
   * @param value its value
   */
  public void attribute(String name, Object value) {
    inFlight.attributes.put(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
  }

  /**
   * This request at another path, with the same query, headers and body (and, shared, the same
   * principal and attributes).
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
          "request path must start with '/' and hold no '?' but was '" + newPath + "'");
    }
    requireNoControlCharacters(newPath);
    return copy(newPath, headers, body);
  }

  /**
   * This request with a header set to one value, replacing any values it had.
   *
   * @param name the header's name
   * @param value its value
   * @return the changed copy
   */
  public Request withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, List<String>> changed = headersCopy();
    changed.put(name, List.of(value));
    return copy(path, Collections.unmodifiableMap(changed), body);
  }

  /**
   * This request without a header.
   *
   * @param name the header's name, any case
   * @return the changed copy
   */
  public Request withoutHeader(String name) {
    Map<String, List<String>> changed = headersCopy();
    changed.remove(Objects.requireNonNull(name, "name"));
    return copy(path, Collections.unmodifiableMap(changed), body);
  }

  /**
   * This request with another body.
   *
   * @param newBody the body, possibly empty
   * @return the changed copy
   */
  public Request withBody(byte[] newBody) {
    return copy(path, headers, newBody.clone());
  }

  private Map<String, List<String>> headersCopy() {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    return copy;
  }

  private Request copy(String newPath, Map<String, List<String>> newHeaders, byte[] newBody) {
    return new Request(method, newPath, query, newHeaders, newBody, remoteAddress, inFlight);
  }
}
