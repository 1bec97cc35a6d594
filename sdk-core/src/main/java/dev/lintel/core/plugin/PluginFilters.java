package dev.lintel.core.plugin;

import dev.lintel.Registration;
import dev.lintel.core.internal.GatewayExchange;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request filters plugins contribute, as one {@link Filter} that a host places in its pipeline.
 * Plugins come and go while requests run, so the filters are kept copy-on-write: a change builds a
 * new sorted array, and a request walks the array it found, through one small chain object of its
 * own ({@link Walk}).
 *
 * <p>Each plugin filter runs isolated. A jar plugin's filter runs with its plugin's class loader as
 * the thread's context loader, and the rest of the pipeline after it with the loader it had before.
 * An exception the filter throws is answered by a 500 naming an error id, logged with the plugin
 * and filter; an exception that came from further down the pipeline (or one caused by it) passes
 * through unchanged, so the pipeline reports it as its own.
 *
 * <p>Inside a pipeline the plugin filters share the request's exchange (its arrival time, the
 * principal attached further in), as the SDK's own filters in the pipeline do.
 *
 * <p>While the manager says so (required plugins not running), the filter fails closed: every
 * request gets a 503, so that a host never serves without, say, its authentication plugin.
 */
final class PluginFilters implements Filter {
  private static final Logger log = LoggerFactory.getLogger(PluginFilters.class);

  private static final Comparator<Contributed> ORDER =
      Comparator.comparingInt(Contributed::order)
          .thenComparing(Contributed::pluginId)
          .thenComparingLong(Contributed::sequence);

  /**
   * The last failure that came back up from further down the pipeline on this thread, so that a
   * plugin filter's catch can tell it from the filter's own. Set only on the failure path; it may
   * keep one exception per thread until the next failure replaces it.
   */
  private static final ThreadLocal<Throwable> PASSING = new ThreadLocal<>();

  private final Object lock = new Object();
  private long sequence;
  private volatile Contributed[] filters = new Contributed[0];
  private volatile @Nullable String closedBecause;

  /** A plugin's filter and where it belongs. */
  private record Contributed(
      String pluginId,
      String name,
      int order,
      long sequence,
      Filter filter,
      @Nullable ClassLoader loader) {}

  /**
   * Adds a plugin's filter.
   *
   * @return the registration that removes it again
   */
  Registration add(
      String pluginId, String name, int order, Filter filter, @Nullable ClassLoader loader) {
    Contributed contributed;
    synchronized (lock) {
      contributed = new Contributed(pluginId, name, order, sequence++, filter, loader);
      List<Contributed> all = new ArrayList<>(List.of(filters));
      all.add(contributed);
      all.sort(ORDER);
      filters = all.toArray(new Contributed[0]);
    }
    log.info("Plugin '{}' added request filter '{}' (order {})", pluginId, name, order);
    return () -> remove(contributed);
  }

  private void remove(Contributed contributed) {
    synchronized (lock) {
      List<Contributed> all = new ArrayList<>(List.of(filters));
      if (all.remove(contributed)) {
        filters = all.toArray(new Contributed[0]);
      }
    }
  }

  /** Answers every request with a 503 from now on, for the reason given, until {@link #open}. */
  void close(String reason) {
    closedBecause = reason;
  }

  /** Lets requests through the plugin filters again. */
  void open() {
    closedBecause = null;
  }

  /** Why requests are refused, or null while they go through. */
  @Nullable String closedBecause() {
    return closedBecause;
  }

  /**
   * Tells which filters run now, in order.
   *
   * @return {@code pluginId:name} of each
   */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (Contributed contributed : filters) {
      names.add(contributed.pluginId() + ":" + contributed.name());
    }
    return names;
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    String closed = closedBecause;
    if (closed != null) {
      log.debug("Refusing {} {}: {}", request.method(), request.path(), closed);
      return Response.text(503, "service unavailable").withHeader("Retry-After", "5");
    }
    Contributed[] current = filters;
    if (current.length == 0) {
      return next.proceed(request);
    }
    return new Walk(current, next).proceed(request);
  }

  /**
   * One request's walk through the plugin filters that were there when it came: the chain each
   * plugin filter is given. {@link #proceed} runs the next plugin filter (or, after the last, the
   * rest of the pipeline) and steps back when it returns, so a filter may call it again (a retry).
   * Used by one thread at a time, like the request.
   */
  private static final class Walk implements GatewayExchange.ExchangeChain {
    private final Contributed[] filters;
    private final Chain rest;
    private final @Nullable GatewayExchange exchange;
    private final @Nullable ClassLoader hostLoader;
    private int position;

    Walk(Contributed[] filters, Chain rest) {
      this.filters = filters;
      this.rest = rest;
      this.exchange = GatewayExchange.of(rest);
      this.hostLoader = Thread.currentThread().getContextClassLoader();
    }

    @Override
    public @Nullable GatewayExchange exchange() {
      return exchange;
    }

    @Override
    public Response proceed(Request request) throws Exception {
      int at = position;
      if (at == 0) {
        return step(at, request); // the first plugin filter: called by the pipeline, not a plugin
      }
      // Called by plugin filter at - 1: what follows is downstream of it (marked as passing
      // through it), and runs with the host's context loader if that filter's plugin is a jar.
      ClassLoader callerLoader = filters[at - 1].loader();
      try {
        if (callerLoader == null) {
          return step(at, request);
        }
        Thread thread = Thread.currentThread();
        thread.setContextClassLoader(hostLoader);
        try {
          return step(at, request);
        } finally {
          thread.setContextClassLoader(callerLoader);
        }
      } catch (Exception | Error passing) {
        PASSING.set(passing);
        throw passing;
      }
    }

    private Response step(int at, Request request) throws Exception {
      if (exchange != null) {
        exchange.passing(request);
      }
      if (at == filters.length) {
        return rest.proceed(request);
      }
      position = at + 1;
      try {
        return run(filters[at], request, this);
      } finally {
        position = at;
      }
    }
  }

  /** Runs one plugin filter, with its plugin's context loader, turning its own failures to 500s. */
  private static Response run(Contributed contributed, Request request, Chain rest)
      throws Exception {
    ClassLoader loader = contributed.loader();
    if (loader == null) {
      return isolated(contributed, request, rest);
    }
    Thread thread = Thread.currentThread();
    ClassLoader outside = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return isolated(contributed, request, rest);
    } finally {
      thread.setContextClassLoader(outside);
    }
  }

  private static Response isolated(Contributed contributed, Request request, Chain rest)
      throws Exception {
    try {
      return contributed.filter().filter(request, rest);
    } catch (Exception | LinkageError e) {
      Throwable passing = PASSING.get();
      PASSING.remove();
      if (passing != null && isOrCausedBy(e, passing)) {
        throw e;
      }
      String id = UUID.randomUUID().toString();
      log.error(
          "Request filter '{}' of plugin '{}' failed on {} {} (error id {})",
          contributed.name(),
          contributed.pluginId(),
          request.method(),
          request.path(),
          id,
          e);
      return Response.text(500, "internal error " + id);
    }
  }

  private static boolean isOrCausedBy(Throwable thrown, Throwable passing) {
    Throwable t = thrown;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t == passing) {
        return true;
      }
    }
    return false;
  }
}
