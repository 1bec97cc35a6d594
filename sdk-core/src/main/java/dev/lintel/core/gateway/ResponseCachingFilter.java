package dev.lintel.core.gateway;

import dev.lintel.cache.Cache;
import dev.lintel.cache.CacheLoadException;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Answers repeated {@code GET}s from a {@link Cache} of responses, usually a {@code TieredCache}
 * (Caffeine in process, Redis shared by every node), whose time to live is the responses' time to
 * live.
 *
 * <pre>{@code
 * TieredCacheConfig config = TieredCacheConfig.custom()
 *     .l1(10_000, Duration.ofSeconds(30))
 *     .l2Ttl(Duration.ofMinutes(5))
 *     .cacheAbsent(Duration.ofSeconds(5))  // remembers uncacheable answers briefly ("hit for pass")
 *     .build();
 * TieredCache<String, Response> responses =
 *     TieredCache.builder("responses", KeyCodec.strings(), Response.class)
 *         .config(config)
 *         .l2(redisStore)
 *         .build();
 * ResponseCachingFilter caching = ResponseCachingFilter.builder(responses).varyBy("Accept").build();
 * Pipeline.builder().filter(auth).route("GET", "/products/{id}", caching.around(products::find));
 * }</pre>
 *
 * <ul>
 *   <li><b>What is cached</b>: answers to {@code GET} with a status in {@link
 *       Builder#statuses(int...)} (200 by default), no {@code Set-Cookie}, no {@code Cache-Control}
 *       of {@code no-store}, {@code private} or {@code no-cache}, a {@code Vary} only by headers of
 *       the key, and a body of at most {@link Builder#maxBodyBytes} bytes. Everything else passes
 *       through untouched.
 *   <li><b>Key</b>: path, query, the principal (unless {@link Builder#sharedAcrossPrincipals()}),
 *       and the values of the {@link Builder#varyBy} headers; so one caller never sees another's
 *       private answer. A request that carries credentials ({@code Authorization} or {@code
 *       Cookie}) but has no principal is not cached, since nothing tells its callers apart.
 *   <li><b>Stampedes</b>: concurrent misses of a key share one trip down the pipeline (the cache's
 *       single flight; across nodes too with a distributed load lock). Their callers get the same
 *       answer; if it turns out uncacheable, each waiting caller goes down the pipeline itself, on
 *       its own thread. Early refresh does not apply: a refresh has no request to send.
 *   <li><b>Headers</b>: answers carry {@code X-Cache: HIT} or {@code MISS}. Request cache
 *       directives are ignored (as CDNs do by default), so clients cannot bypass the cache.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ResponseCachingFilter implements Filter {
  /** The header that tells whether an answer came from the cache. */
  public static final String CACHE_HEADER = "X-Cache";

  private final Cache<String, Response> cache;
  private final Set<Integer> statuses;
  private final int maxBodyBytes;
  private final boolean shared;
  private final List<String> varyBy;
  private final Set<String> varyByLowerCase;
  private final List<String> credentialHeaders;

  private ResponseCachingFilter(Builder builder) {
    this.cache = builder.cache;
    this.statuses = Set.copyOf(builder.statuses);
    this.maxBodyBytes = builder.maxBodyBytes;
    this.shared = builder.shared;
    this.varyBy = List.copyOf(builder.varyBy);
    this.varyByLowerCase =
        varyBy.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    this.credentialHeaders = List.copyOf(builder.credentialHeaders);
  }

  /**
   * Starts building a filter over a cache of responses.
   *
   * @param cache the cache; its keys are the filter's, its time to live the responses'
   * @return a builder
   */
  public static Builder builder(Cache<String, Response> cache) {
    return new Builder(Objects.requireNonNull(cache, "cache"));
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    if (!"GET".equals(request.method())) {
      return next.proceed(request);
    }
    String principal = request.principal();
    if (!shared && principal == null && carriesCredentials(request)) {
      return next.proceed(request);
    }
    String key = key(request, shared ? null : principal);
    Trip trip = new Trip();
    Response cached;
    try {
      cached = cache.get(key, ignored -> trip.take(next, request));
    } catch (CacheLoadException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    if (trip.uncacheable != null) {
      return trip.uncacheable; // this call went down the pipeline, for an answer not to be kept
    }
    if (cached == null) {
      return next.proceed(request); // a shared trip's answer (or a remembered one) was uncacheable
    }
    return cached.withHeader(CACHE_HEADER, trip.loaded ? "MISS" : "HIT");
  }

  /**
   * What this call's own trip down the pipeline brought, if it made one. A cache may run a caller's
   * loader on another thread (after another caller's uncacheable trip, or to refresh early): then
   * it answers nothing, and the caller goes down the pipeline on its own thread.
   */
  private final class Trip {
    private final Thread caller = Thread.currentThread();
    boolean loaded;
    @Nullable Response uncacheable;

    @Nullable Response take(Chain next, Request request) throws Exception {
      if (Thread.currentThread() != caller || loaded) {
        return null;
      }
      loaded = true;
      Response fresh = next.proceed(request);
      if (cacheable(fresh)) {
        return fresh;
      }
      uncacheable = fresh;
      return null;
    }
  }

  /**
   * Drops every cached answer for a path, for every query, principal and variant, on every node.
   *
   * @param path the path, exactly as requests have it
   * @return the number of answers dropped from the shared level
   */
  public long invalidatePath(String path) {
    Objects.requireNonNull(path, "path");
    return cache.invalidateAll(escapeGlob(path) + "[?]*");
  }

  /**
   * The path, then {@code ?} (paths hold none) and the other parts each prefixed with its length,
   * so that no principal or header value can make one key look like another.
   */
  private String key(Request request, @Nullable String principal) {
    StringBuilder key = new StringBuilder(request.path()).append('?');
    appendPart(key, request.query());
    appendPart(key, principal == null ? "-" : "=" + principal);
    for (String header : varyBy) {
      String value = request.header(header);
      appendPart(key, value == null ? "" : value);
    }
    return key.toString();
  }

  private static void appendPart(StringBuilder key, String part) {
    key.append(part.length()).append(':').append(part);
  }

  private boolean carriesCredentials(Request request) {
    for (String header : credentialHeaders) {
      if (request.header(header) != null) {
        return true;
      }
    }
    return false;
  }

  private boolean cacheable(Response response) {
    if (!statuses.contains(response.status()) || response.bodyLength() > maxBodyBytes) {
      return false;
    }
    for (Headers.Field header : response.headers().fields()) {
      String name = header.name();
      String value = header.value().toLowerCase(Locale.ROOT);
      if (name.equalsIgnoreCase("Set-Cookie")) {
        return false;
      }
      if (name.equalsIgnoreCase("Cache-Control")
          && (value.contains("no-store")
              || value.contains("private")
              || value.contains("no-cache"))) {
        return false;
      }
      if (name.equalsIgnoreCase("Vary") && !variesOnlyByKeyedHeaders(value)) {
        return false;
      }
    }
    return true;
  }

  /** Whether every header a response varies by is one the key holds. */
  private boolean variesOnlyByKeyedHeaders(String vary) {
    for (String header : vary.split(",")) {
      String name = header.trim();
      if (!name.isEmpty() && !varyByLowerCase.contains(name)) {
        return false; // includes "*"
      }
    }
    return true;
  }

  /** The path with Redis glob characters escaped, so it matches only itself. */
  private static String escapeGlob(String path) {
    StringBuilder escaped = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /** Builds a {@link ResponseCachingFilter}. Not thread-safe; build once. */
  public static final class Builder {
    private final Cache<String, Response> cache;
    private final List<Integer> statuses = new ArrayList<>(List.of(200));
    private int maxBodyBytes = 1 << 20;
    private boolean shared;
    private final List<String> varyBy = new ArrayList<>();
    private final List<String> credentialHeaders =
        new ArrayList<>(List.of("Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"));

    private Builder(Cache<String, Response> cache) {
      this.cache = cache;
    }

    /**
     * Sets the statuses whose answers are cached; 200 by default.
     *
     * @param cacheable the statuses, 200..599
     * @return this builder
     * @throws IllegalArgumentException if none is given or one is outside 200..599
     */
    public Builder statuses(int... cacheable) {
      if (cacheable.length == 0) {
        throw new IllegalArgumentException("at least one cacheable status is needed");
      }
      statuses.clear();
      for (int status : cacheable) {
        if (status < 200 || status > 599) {
          throw new IllegalArgumentException(
              "a cacheable status must be 200..599 but was " + status);
        }
        statuses.add(status);
      }
      return this;
    }

    /**
     * Sets the largest body cached; 1 MiB by default.
     *
     * @param bytes the limit, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes must not be negative but was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Shares answers among all callers instead of keeping them per principal: only for routes whose
     * answers do not depend on who asks.
     *
     * @return this builder
     */
    public Builder sharedAcrossPrincipals() {
      this.shared = true;
      return this;
    }

    /**
     * Keeps a separate answer per value of these request headers (as HTTP's {@code Vary}).
     *
     * @param headers the header names, any case
     * @return this builder
     */
    public Builder varyBy(String... headers) {
      for (String header : headers) {
        varyBy.add(Objects.requireNonNull(header, "header"));
      }
      return this;
    }

    /**
     * Names more request headers that carry credentials: a request with one of them but without a
     * principal is not cached (unless answers are shared). {@code Authorization}, {@code
     * Proxy-Authorization}, {@code Cookie} and {@code X-Api-Key} always count.
     *
     * @param headers the header names, any case
     * @return this builder
     */
    public Builder credentialHeaders(String... headers) {
      for (String header : headers) {
        credentialHeaders.add(Objects.requireNonNull(header, "header"));
      }
      return this;
    }

    /**
     * Builds the filter.
     *
     * @return the filter
     */
    public ResponseCachingFilter build() {
      return new ResponseCachingFilter(this);
    }
  }
}
