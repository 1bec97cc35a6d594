package dev.lintel.core.gateway;

import dev.lintel.TimeSource;
import dev.lintel.core.internal.GatewayExchange;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Filters in order around a router, fixed when built. Routes match the method and the path; a path
 * segment {@code {name}} matches any one segment and is attached to the request as the attribute
 * {@link #pathParameter pathParameter("name")}. A route without parameters is found by its path at
 * once and wins over templated routes that also match; templated routes are tried in the order they
 * were added. Versioned routes answer both {@code /v2/orders} and {@code /orders} with the header
 * {@code Api-Version: 2}.
 *
 * <pre>{@code
 * AttributeKey<String> ID = Pipeline.pathParameter("id");
 * Pipeline pipeline = Pipeline.builder()
 *     .filter(JwtAuthFilter.hs256(secret).issuer("https://id.example").build())
 *     .route("GET", "/orders/{id}", request -> Response.ok(orders.find(request.attribute(ID))))
 *     .route(2, "GET", "/orders", request -> Response.ok(orders.listV2()))
 *     .build();
 * Response response = pipeline.handle(request);
 * }</pre>
 *
 * <p><b>Time.</b> The pipeline reads its {@link TimeSource} once as a request comes in. The SDK's
 * filters and handlers that need the time of a request (the rate limit, the breaker's start, the
 * access log) take that reading from the chain the pipeline hands them instead of reading a clock
 * again, and measure durations on the same time source.
 *
 * <p>{@link #handle} never throws: an exception from a filter or handler becomes a 500 whose body
 * names only an error id, logged with the exception. Unknown paths get 404, known paths with
 * another method 405. Thread-safe.
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  private static final String VERSION_HEADER = "Api-Version";
  private static final String[] NO_PARAMETERS = new String[0];

  private final Filter[] filters;
  private final Router router;
  private final TimeSource timeSource;

  /**
   * Each thread's exchange, reused request after request: a chain is valid only while its filter
   * runs, on its thread ({@link Filter.Chain}), so one thread never needs two at once unless a
   * filter calls this pipeline again, which then gets a fresh one. Reuse keeps the per-request path
   * free of allocation (the exchange escapes into the filters, so the JIT cannot scalar-replace
   * it).
   */
  private final ThreadLocal<Exchange> idleExchange;

  private Pipeline(List<Filter> filters, List<Route> routes, TimeSource timeSource) {
    this.filters = filters.toArray(new Filter[0]);
    this.router = new Router(routes);
    this.timeSource = timeSource;
    this.idleExchange = ThreadLocal.withInitial(() -> new Exchange(this));
  }

  /**
   * Starts building a pipeline.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Names the attribute in which the router puts a path parameter: {@code {id}} in a route's
   * template is {@code request.attribute(Pipeline.pathParameter("id"))} in its handler. Keys are
   * equal by name, so a key may be made once and kept in a constant, or made where it is used.
   *
   * @param name the parameter's name, as written between the braces
   * @return the key, named {@code path.<name>}
   * @throws IllegalArgumentException if the name is empty or holds whitespace or a control
   *     character
   */
  public static AttributeKey<String> pathParameter(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("path parameter name must not be empty");
    }
    return AttributeKey.of("path." + name, String.class);
  }

  /**
   * Runs a request through the filters and to its route. Reads the pipeline's time source once, as
   * the request comes in: the one clock read that the time-keeping filters of the request share.
   *
   * @param request the request
   * @return the response; never throws
   */
  public Response handle(Request request) {
    Objects.requireNonNull(request, "request");
    Exchange exchange = idleExchange.get();
    if (exchange.inUse()) {
      exchange = new Exchange(this); // this pipeline called again from inside one of its filters
    }
    exchange.begin(timeSource.nanoTime(), request);
    try {
      Filter[] all = filters;
      return all.length == 0
          ? router.route(request, exchange)
          : all[0].filter(request, exchange.afterFirst);
    } catch (Exception | LinkageError | StackOverflowError e) {
      String id = UUID.randomUUID().toString();
      log.error("Request {} {} failed (error id {})", request.method(), request.path(), id, e);
      return Response.text(500, "internal error " + id);
    } finally {
      exchange.end();
    }
  }

  /**
   * One request in flight: its arrival time and the request as last passed further in. Its chains
   * are made with it, one per filter: the chain a filter is given runs the next filter (or, for the
   * last, the router) and holds no state of its own, so a filter may call it again (a retry).
   * Reused by its thread for one request after another, used by one thread at a time.
   */
  private static final class Exchange implements GatewayExchange {
    private long arrivalNanos;

    /** The request as last passed further in; null between requests (and so "not in use"). */
    private @Nullable Request latest;

    private final TimeSource timeSource;

    /** The chain handed to the first filter: the second filter's, or the router's. */
    final GatewayExchange.ExchangeChain afterFirst;

    Exchange(Pipeline pipeline) {
      this.timeSource = pipeline.timeSource;
      Filter[] filters = pipeline.filters;
      GatewayExchange.ExchangeChain next = new RouterHop(this, pipeline.router);
      for (int at = filters.length - 1; at >= 1; at--) {
        next = new FilterHop(this, filters[at], next);
      }
      this.afterFirst = next;
    }

    boolean inUse() {
      return latest != null;
    }

    void begin(long arrival, Request request) {
      arrivalNanos = arrival;
      latest = request;
    }

    void end() {
      latest = null; // keep no request alive between requests
    }

    @Override
    public long arrivalNanos() {
      return arrivalNanos;
    }

    @Override
    public long nanoTime() {
      return timeSource.nanoTime();
    }

    @Override
    public @Nullable String principal() {
      Request current = latest;
      return current == null ? null : current.principal();
    }

    @Override
    public void passing(Request request) {
      Objects.requireNonNull(request, "a filter passed a null request on");
      if (request != latest) { // most filters pass the request on unchanged: no store then
        latest = request;
      }
    }
  }

  /**
   * The chain that runs one filter of an exchange, handing it the chain of the filters after it.
   */
  private static final class FilterHop implements GatewayExchange.ExchangeChain {
    private final Exchange exchange;
    private final Filter filter;
    private final GatewayExchange.ExchangeChain rest;

    FilterHop(Exchange exchange, Filter filter, GatewayExchange.ExchangeChain rest) {
      this.exchange = exchange;
      this.filter = filter;
      this.rest = rest;
    }

    @Override
    public Response proceed(Request request) throws Exception {
      exchange.passing(request);
      return filter.filter(request, rest);
    }

    @Override
    public GatewayExchange exchange() {
      return exchange;
    }
  }

  /** The chain after the last filter: the router, on the same exchange. */
  private static final class RouterHop implements GatewayExchange.ExchangeChain {
    private final Exchange exchange;
    private final Router router;

    RouterHop(Exchange exchange, Router router) {
      this.exchange = exchange;
      this.router = router;
    }

    @Override
    public Response proceed(Request request) throws Exception {
      exchange.passing(request);
      return router.route(request, exchange);
    }

    @Override
    public GatewayExchange exchange() {
      return exchange;
    }
  }

  /**
   * Finds a request's route: routes without parameters or version by their path in a hash map, the
   * others by matching in the order they were added.
   */
  private static final class Router {
    private final Map<String, Route[]> literal = new HashMap<>();
    private final Route[] templated;
    private final boolean versioned;

    Router(List<Route> routes) {
      Set<String> versionedPaths = new HashSet<>();
      for (Route route : routes) {
        if (route.version != null) {
          versionedPaths.add(route.template);
          versionedPaths.add("/v" + route.version + route.template);
        }
      }
      List<Route> others = new ArrayList<>();
      for (Route route : routes) {
        // A literal path that a versioned route also answers keeps the order the routes were added.
        if (route.isLiteral() && !versionedPaths.contains(route.template)) {
          literal.merge(
              route.template, new Route[] {route}, (before, added) -> concat(before, added[0]));
        } else {
          others.add(route);
        }
      }
      this.templated = others.toArray(new Route[0]);
      this.versioned = !versionedPaths.isEmpty();
    }

    private static Route[] concat(Route[] routes, Route more) {
      Route[] all = Arrays.copyOf(routes, routes.length + 1);
      all[routes.length] = more;
      return all;
    }

    Response route(Request request, GatewayExchange exchange) throws Exception {
      String method = request.method();
      boolean pathKnown = false;
      Route[] exact = literal.get(request.path());
      if (exact != null) {
        for (Route route : exact) {
          if (route.method.equals(method)) {
            return route.handle(request, exchange);
          }
        }
        pathKnown = true;
      }
      String version = versioned ? request.header(VERSION_HEADER) : null;
      for (Route route : templated) {
        String[] parameters = route.match(request.path(), version);
        if (parameters == null) {
          continue;
        }
        pathKnown = true;
        if (route.method.equals(method)) {
          return route.handle(route.withParameters(request, parameters), exchange);
        }
      }
      return pathKnown ? Response.text(405, "method not allowed") : Response.text(404, "not found");
    }
  }

  /** A route: a method, a path template and, if versioned, the version it answers. */
  private static final class Route {
    final String method;
    final String template;
    final String[] segments;
    final @Nullable String[] parameterNames;
    final List<AttributeKey<String>> parameterKeys = new ArrayList<>();
    final @Nullable String version;
    final String versionPrefix;
    final Handler handler;

    /** The handler if it is a breaker, which measures from the request's arrival. */
    final @Nullable CircuitBreakingHandler breaker;

    Route(String method, String template, @Nullable String version, Handler handler) {
      this.method = method;
      this.template = template;
      this.segments = template.substring(1).split("/", -1);
      this.parameterNames = new String[segments.length];
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")) {
          String name = segment.substring(1, segment.length() - 1);
          parameterNames[i] = name;
          parameterKeys.add(pathParameter(name));
        }
      }
      this.version = version;
      this.versionPrefix = "v" + version + "/";
      this.handler = handler;
      this.breaker =
          handler instanceof CircuitBreakingHandler protectedRoute ? protectedRoute : null;
    }

    Response handle(Request request, GatewayExchange exchange) throws Exception {
      return breaker != null ? breaker.handle(request, exchange) : handler.handle(request);
    }

    /** The request with the path parameters {@link #match} found attached. */
    Request withParameters(Request request, String[] values) {
      Request withValues = request;
      for (int i = 0; i < values.length; i++) {
        withValues = withValues.withAttribute(parameterKeys.get(i), values[i]);
      }
      return withValues;
    }

    /** Matches one path only: no parameters, no version. */
    boolean isLiteral() {
      if (version != null) {
        return false;
      }
      for (String name : parameterNames) {
        if (name != null) {
          return false;
        }
      }
      return true;
    }

    /**
     * The path parameters' values, in the order of {@link #parameterKeys}, if the path matches,
     * else null. Walks the path in place: a route without parameters allocates nothing.
     */
    String @Nullable [] match(String path, @Nullable String headerVersion) {
      int from = 1;
      if (version != null) {
        if (path.startsWith(versionPrefix, 1)) {
          from += versionPrefix.length();
        } else if (!version.equals(headerVersion)) {
          return null;
        }
      }
      String[] parameters =
          parameterKeys.isEmpty() ? NO_PARAMETERS : new String[parameterKeys.size()];
      int found = 0;
      for (int i = 0; i < segments.length; i++) {
        int end = path.indexOf('/', from);
        if (end < 0) {
          end = path.length();
        }
        boolean last = i == segments.length - 1;
        if (last != (end == path.length())) {
          return null; // more or fewer segments than the template
        }
        String name = parameterNames[i];
        if (name != null) {
          if (end == from) {
            return null;
          }
          parameters[found++] = path.substring(from, end);
        } else if (segments[i].length() != end - from || !path.startsWith(segments[i], from)) {
          return null;
        }
        from = end + 1;
      }
      return parameters;
    }
  }

  /** Builds a {@link Pipeline}. Not thread-safe; build once. */
  public static final class Builder {
    private final List<Filter> filters = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private TimeSource timeSource = TimeSource.system();

    private Builder() {}

    /**
     * Sets the time source read once per request as it comes in; {@link TimeSource#system()} by
     * default. The SDK's filters and handlers in the pipeline (rate limit, breaker, access log)
     * take the request's time from it, so a test that moves this time source moves theirs.
     *
     * @param source the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource source) {
      this.timeSource = Objects.requireNonNull(source, "timeSource");
      return this;
    }

    /**
     * Adds a filter after those already added.
     *
     * @param filter the filter
     * @return this builder
     */
    public Builder filter(Filter filter) {
      filters.add(Objects.requireNonNull(filter, "filter"));
      return this;
    }

    /**
     * Routes a method and path template to a handler.
     *
     * @param method the HTTP method
     * @param template the path, starting with {@code /}; {@code {name}} matches one segment
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException if the template does not start with {@code /}, or a
     *     parameter's name holds whitespace or a control character
     */
    public Builder route(String method, String template, Handler handler) {
      return add(method, template, null, handler);
    }

    /**
     * Routes a versioned API: the handler answers {@code /v<version><template>}, and {@code
     * <template>} with the header {@code Api-Version: <version>}.
     *
     * @param version the API version, positive
     * @param method the HTTP method
     * @param template the path without the version prefix
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException if the version is not positive or the template is invalid
     */
    public Builder route(int version, String method, String template, Handler handler) {
      if (version <= 0) {
        throw new IllegalArgumentException("API version must be positive but was " + version);
      }
      return add(method, template, Integer.toString(version), handler);
    }

    private Builder add(String method, String template, @Nullable String version, Handler handler) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(handler, "handler");
      if (!template.startsWith("/")) {
        throw new IllegalArgumentException(
            "route template must start with '/' but was '" + template + "'");
      }
      routes.add(new Route(method.toUpperCase(Locale.ROOT), template, version, handler));
      return this;
    }

    /**
     * Composes the filters and routes.
     *
     * @return the pipeline
     */
    public Pipeline build() {
      return new Pipeline(List.copyOf(filters), List.copyOf(routes), timeSource);
    }
  }
}
