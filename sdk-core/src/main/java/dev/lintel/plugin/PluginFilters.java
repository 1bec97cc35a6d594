package dev.lintel.plugin;

import dev.lintel.Registration;
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
 * new sorted array, and a request walks the array it found. The chain over that array is composed
 * once per array and pipeline position, so a request allocates nothing of its own.
 *
 * <p>Each plugin filter runs isolated: with its plugin's class loader as the thread's context
 * loader, and with its own exceptions answered by a 500 that names an error id (logged with the
 * plugin and filter). Exceptions from further down the pipeline pass through it unchanged, so the
 * pipeline reports them as its own.
 */
final class PluginFilters implements Filter {
  private static final Logger log = LoggerFactory.getLogger(PluginFilters.class);

  private static final Comparator<Contributed> ORDER =
      Comparator.comparingInt(Contributed::order)
          .thenComparing(Contributed::pluginId)
          .thenComparingLong(Contributed::sequence);

  private final Object lock = new Object();
  private long sequence;
  private volatile Composition composition = new Composition(new Contributed[0], null);

  /** A plugin's filter and where it belongs. */
  private record Contributed(
      String pluginId,
      String name,
      int order,
      long sequence,
      Filter filter,
      @Nullable ClassLoader loader) {}

  /** The filters at one moment, and the chain composed over them for the last {@code next}. */
  private record Composition(Contributed[] filters, @Nullable Chain next, @Nullable Chain chain) {
    Composition(Contributed[] filters, @Nullable Chain next) {
      this(filters, next, next == null ? null : compose(filters, next));
    }
  }

  /** Thrown through a plugin filter for a failure further down; unwrapped right after it. */
  private static final class Downstream extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Downstream(Exception cause) {
      super(null, cause, false, false);
    }

    Exception unwrap() {
      return (Exception) getCause();
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
      List<Contributed> all = new ArrayList<>(List.of(composition.filters()));
      all.add(contributed);
      all.sort(ORDER);
      composition = new Composition(all.toArray(new Contributed[0]), null);
    }
    log.info("Plugin '{}' added request filter '{}' (order {})", pluginId, name, order);
    return () -> remove(contributed);
  }

  private void remove(Contributed contributed) {
    synchronized (lock) {
      List<Contributed> all = new ArrayList<>(List.of(composition.filters()));
      if (all.remove(contributed)) {
        composition = new Composition(all.toArray(new Contributed[0]), null);
      }
    }
  }

  /**
   * Tells which filters run now, in order.
   *
   * @return {@code pluginId:name} of each
   */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (Contributed contributed : composition.filters()) {
      names.add(contributed.pluginId() + ":" + contributed.name());
    }
    return names;
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    Composition current = composition;
    if (current.filters().length == 0) {
      return next.proceed(request);
    }
    if (current.next() != next) {
      // First request since a change, or another pipeline: compose for this one and keep it.
      current = new Composition(current.filters(), next);
      synchronized (lock) {
        if (composition.filters() == current.filters()) {
          composition = current;
        }
      }
    }
    return current.chain().proceed(request);
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
          } catch (Exception e) {
            throw new Downstream(e);
          }
        };
    return request -> {
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      if (contributed.loader() != null) {
        thread.setContextClassLoader(contributed.loader());
      }
      try {
        return contributed.filter().filter(request, marked);
      } catch (Downstream passing) {
        throw passing.unwrap();
      } catch (Exception | LinkageError e) {
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
      } finally {
        thread.setContextClassLoader(previous);
      }
    };
  }
}
