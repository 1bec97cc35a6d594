package dev.lintel.core.plugin;

import dev.lintel.Registration;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request filters plugins contribute, as one {@link Filter} that a host places in its pipeline.
 * Plugins come and go while requests run, so the filters are kept copy-on-write: a change builds a
 * new sorted array, and a request walks the array it found. The chain over that array is composed
 * once per array and place in a pipeline, so a request allocates nothing of its own (but for jar
 * plugins, see below).
 *
 * <p>Each plugin filter runs isolated. A jar plugin's filter runs with its plugin's class loader as
 * the thread's context loader, and the rest of the pipeline after it with the loader it had before.
 * An exception the filter throws is answered by a 500 naming an error id, logged with the plugin
 * and filter; an exception that came from further down the pipeline (or one caused by it) passes
 * through unchanged, so the pipeline reports it as its own.
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
  private volatile Composition composition = new Composition(new Contributed[0]);
  private volatile @Nullable String closedBecause;

  /** A plugin's filter and where it belongs. */
  private record Contributed(
      String pluginId,
      String name,
      int order,
      long sequence,
      Filter filter,
      @Nullable ClassLoader loader) {}

  /** The filters at one moment, and the chains composed over them, by what comes after. */
  private static final class Composition {
    final Contributed[] filters;
    final ConcurrentHashMap<Chain, Chain> chains = new ConcurrentHashMap<>();

    Composition(Contributed[] filters) {
      this.filters = filters;
    }

    Chain chainBefore(Chain next) {
      Chain chain = chains.get(next);
      return chain != null ? chain : chains.computeIfAbsent(next, rest -> compose(filters, rest));
    }
  }

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
      List<Contributed> all = new ArrayList<>(List.of(composition.filters));
      all.add(contributed);
      all.sort(ORDER);
      composition = new Composition(all.toArray(new Contributed[0]));
    }
    log.info("Plugin '{}' added request filter '{}' (order {})", pluginId, name, order);
    return () -> remove(contributed);
  }

  private void remove(Contributed contributed) {
    synchronized (lock) {
      List<Contributed> all = new ArrayList<>(List.of(composition.filters));
      if (all.remove(contributed)) {
        composition = new Composition(all.toArray(new Contributed[0]));
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
    for (Contributed contributed : composition.filters) {
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
    Composition current = composition;
    if (current.filters.length == 0) {
      return next.proceed(request);
    }
    return current.chainBefore(next).proceed(request);
  }

  private static Chain compose(Contributed[] filters, Chain next) {
    Chain chain = next;
    for (int i = filters.length - 1; i >= 0; i--) {
      chain = isolated(filters[i], chain);
    }
    return chain;
  }

  private static Chain isolated(Contributed contributed, Chain rest) {
    Chain marked =
        request -> {
          try {
            return rest.proceed(request);
          } catch (Exception | Error passing) {
            PASSING.set(passing);
            throw passing;
          }
        };
    ClassLoader loader = contributed.loader();
    if (loader == null) {
      return request -> run(contributed, request, marked);
    }
    return request -> {
      Thread thread = Thread.currentThread();
      ClassLoader outside = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        return run(contributed, request, inside -> withContextLoader(outside, marked, inside));
      } finally {
        thread.setContextClassLoader(outside);
      }
    };
  }

  /** Runs the rest of the pipeline with the context loader it had before the plugin's filter. */
  private static Response withContextLoader(ClassLoader loader, Chain rest, Request request)
      throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader plugins = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return rest.proceed(request);
    } finally {
      thread.setContextClassLoader(plugins);
    }
  }

  private static Response run(Contributed contributed, Request request, Chain rest)
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
