package dev.lintel.core.gateway;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Filters in order around a router, composed once when built: handling a request walks a fixed
 * chain. Routes match the method and the path; a path segment {@code {name}} matches any one
 * segment and is attached to the request as the attribute {@code path.name}. A route without
 * parameters is found by its path at once and wins over templated routes that also match; templated
 * routes are tried in the order they were added. Versioned routes answer both {@code /v2/orders}
 * and {@code /orders} with the header {@code Api-Version: 2}.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *     .filter(JwtAuthFilter.hs256(secret).issuer("https://id.example").build())
 *     .route("GET", "/orders/{id}", request -> Response.ok(orders.find(request.attribute("path.id"))))
 *     .route(2, "GET", "/orders", request -> Response.ok(orders.listV2()))
 *     .build();
 * Response response = pipeline.handle(request);
 * }</pre>
 *
 * <p>{@link #handle} never throws: an exception from a filter or handler becomes a 500 whose body
 * names only an error id, logged with the exception. Unknown paths get 404, known paths with
 * another method 405. Thread-safe.
 */
public final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  private static final String VERSION_HEADER = "Api-Version";

  private final Filter.Chain chain;

  private Pipeline(List<Filter> filters, List<Route> routes) {
    Filter.Chain next = new Router(routes)::route;
    for (int i = filters.size() - 1; i >= 0; i--) {
      Filter filter = filters.get(i);
      Filter.Chain rest = next;
      next = request -> filter.filter(request, rest);
    }
    this.chain = next;
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
   * Runs a request through the filters and to its route, first recording when it came in ({@link
   * Request#receivedAt}): the one clock read that the time-keeping filters of the request share.
   *
   * @param request the request
   * @return the response; never throws
   */
  public Response handle(Request request) {
    request.receivedAt(System.nanoTime());
    try {
      return chain.proceed(request);
    } catch (Exception | LinkageError | StackOverflowError e) {
      String id = UUID.randomUUID().toString();
      log.error("Request {} {} failed (error id {})", request.method(), request.path(), id, e);
      return Response.text(500, "internal error " + id);
    }
  }

  /**
   * The time of a request for the filters that need one: when a pipeline took it, or now if it did
   * not come through one.
   */
  static long arrivalNanos(Request request) {
    long received = request.receivedNanos();
    return received != Request.NOT_RECEIVED ? received : System.nanoTime();
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

    Response route(Request request) throws Exception {
      String method = request.method();
      boolean pathKnown = false;
      Route[] exact = literal.get(request.path());
      if (exact != null) {
        for (Route route : exact) {
          if (route.method.equals(method)) {
            return route.handler.handle(request);
          }
        }
        pathKnown = true;
      }
      String version = versioned ? request.header(VERSION_HEADER) : null;
      for (Route route : templated) {
        Map<String, String> parameters = route.match(request.path(), version);
        if (parameters == null) {
          continue;
        }
        pathKnown = true;
        if (route.method.equals(method)) {
          if (!parameters.isEmpty()) {
            parameters.forEach((name, value) -> request.attribute("path." + name, value));
          }
          return route.handler.handle(request);
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
    final @Nullable String version;
    final String versionPrefix;
    final Handler handler;

    Route(String method, String template, @Nullable String version, Handler handler) {
      this.method = method;
      this.template = template;
      this.segments = template.substring(1).split("/", -1);
      this.parameterNames = new String[segments.length];
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")) {
          parameterNames[i] = segment.substring(1, segment.length() - 1);
        }
      }
      this.version = version;
      this.versionPrefix = "v" + version + "/";
      this.handler = handler;
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
     * The path parameters if the path matches, else null. Walks the path in place: a route without
     * parameters allocates nothing.
     */
    @Nullable Map<String, String> match(String path, @Nullable String headerVersion) {
      int from = 1;
      if (version != null) {
        if (path.startsWith(versionPrefix, 1)) {
          from += versionPrefix.length();
        } else if (!version.equals(headerVersion)) {
          return null;
        }
      }
      Map<String, String> parameters = Map.of();
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
          if (parameters.isEmpty()) {
            parameters = new LinkedHashMap<>();
          }
          parameters.put(name, path.substring(from, end));
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

    private Builder() {}

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
     * @throws IllegalArgumentException if the template does not start with {@code /}
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
      return new Pipeline(List.copyOf(filters), List.copyOf(routes));
    }
  }
}
