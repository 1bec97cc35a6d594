package dev.lintel.micrometer;

import dev.lintel.TimeSource;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times one route's handler by status ({@code lintel.gateway.route.requests}, tags {@code route}
 * and {@code status}); a handler that throws is timed as status 500 and the exception rethrown. The
 * route name is the host's, so it stays low-cardinality. Thread-safe as its handler.
 */
final class RouteMetrics implements Handler {
  private final Handler handler;
  private final TimeSource time;
  private final LazyMeters<Integer, Timer> timers;

  RouteMetrics(String route, Handler handler, TimeSource time, MeterSink sink) {
    this.handler = handler;
    this.time = time;
    this.timers =
        new LazyMeters<>(
            sink,
            (status, registry) ->
                Timer.builder("lintel.gateway.route.requests")
                    .description("Requests a route's handler answered, by status")
                    .tag("route", route)
                    .tag("status", Integer.toString(status))
                    .register(registry));
  }

  @Override
  public Response handle(Request request) throws Exception {
    long start = time.nanoTime();
    int status = 500;
    try {
      Response response = handler.handle(request);
      status = response.status() >= 100 && response.status() <= 599 ? response.status() : 500;
      return response;
    } finally {
      long took = time.nanoTime() - start;
      for (Timer timer : timers.get(status)) {
        timer.record(took, TimeUnit.NANOSECONDS);
      }
    }
  }
}
