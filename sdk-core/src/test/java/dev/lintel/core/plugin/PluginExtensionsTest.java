package dev.lintel.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.TimeSource;
import dev.lintel.core.Lintel;
import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.core.cqrs.LocalQueryBus;
import dev.lintel.core.eventsourcing.InMemoryCheckpointStore;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.gateway.RateLimitFilter;
import dev.lintel.core.health.HealthRegistry;
import dev.lintel.eventsourcing.ExpectedVersion;
import dev.lintel.eventsourcing.NewEvent;
import dev.lintel.eventsourcing.Projection;
import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.health.HealthStatus;
import dev.lintel.plugin.Plugin;
import dev.lintel.plugin.PluginContext;
import dev.lintel.plugin.PluginDescriptor;
import dev.lintel.plugin.PluginException;
import dev.lintel.plugin.PluginState;
import dev.lintel.testing.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request filters and projections that plugins contribute through their context. */
class PluginExtensionsTest {
  private final HealthRegistry health = HealthRegistry.create(Duration.ofSeconds(2));

  @AfterEach
  void close() {
    health.close();
  }

  /** A plugin whose start is a lambda over its context. */
  private static Plugin plugin(String id, Consumer<PluginContext> start) {
    return new Plugin() {
      @Override
      public PluginDescriptor descriptor() {
        return PluginDescriptor.of(id, "1.0.0", id);
      }

      @Override
      public void start(PluginContext context) {
        start.accept(context);
      }
    };
  }

  /** A filter that appends its name to the response's {@code X-Trace} header on the way out. */
  private static Filter tracing(String name) {
    return (request, next) -> {
      Response response = next.proceed(request);
      String trace = response.header("X-Trace");
      return response.withHeader("X-Trace", trace == null ? name : trace + "," + name);
    };
  }

  /** Sends a request through the plugins' filters to a rest of the pipeline that throws. */
  private static Response throughPluginFilters(PluginManager plugins, Throwable thrown)
      throws Exception {
    return plugins
        .filters()
        .filter(
            Request.of("GET", "/x"),
            request -> {
              if (thrown instanceof Exception exception) {
                throw exception;
              }
              throw (Error) thrown;
            });
  }

  private PluginManager started(Plugin... plugins) {
    PluginManager.Builder builder = PluginManager.builder();
    for (Plugin plugin : plugins) {
      builder.plugin(plugin);
    }
    PluginManager manager = builder.build();
    manager.start(LocalCommandBus.create(), LocalQueryBus.create(), health);
    return manager;
  }

  private static Pipeline pipeline(PluginManager plugins) {
    return Pipeline.builder()
        .filter(plugins.filters())
        .route("GET", "/ok", request -> Response.ok("ok"))
        .route(
            "GET",
            "/down",
            request -> {
              throw new IllegalStateException("handler down");
            })
        .build();
  }

  @Test
  void pluginFiltersRunByOrderThenPluginIdAndLeaveWithTheirPlugin() {
    PluginManager plugins =
        started(
            plugin(
                "beta",
                context -> {
                  context.filter("late", 20, tracing("beta.late"));
                  context.filter("early", 0, tracing("beta.early"));
                }),
            plugin("alpha", context -> context.filter("same", 20, tracing("alpha.same"))));
    Pipeline pipeline = pipeline(plugins);

    assertThat(plugins.filterNames()).containsExactly("beta:early", "alpha:same", "beta:late");
    // Outermost first in, so it adds itself to the trace last.
    assertThat(pipeline.handle(Request.of("GET", "/ok")).header("X-Trace"))
        .isEqualTo("beta.late,alpha.same,beta.early");

    plugins.unload("beta");

    assertThat(plugins.filterNames()).containsExactly("alpha:same");
    assertThat(pipeline.handle(Request.of("GET", "/ok")).header("X-Trace")).isEqualTo("alpha.same");
    plugins.stop();
    assertThat(pipeline.handle(Request.of("GET", "/ok")).header("X-Trace")).isNull();
  }

  @Test
  void aThrowingPluginFilterFailsOnlyThatRequest() {
    PluginManager plugins =
        started(
            plugin(
                "buggy",
                context ->
                    context.filter(
                        "crash-on-q",
                        0,
                        (request, next) -> {
                          if (request.query().contains("crash")) {
                            throw new IllegalStateException("plugin bug");
                          }
                          return next.proceed(request);
                        })),
            plugin("steady", context -> context.filter("trace", 10, tracing("steady"))));
    Pipeline pipeline = pipeline(plugins);

    Response crashed = pipeline.handle(Request.of("GET", "/ok?crash"));
    Response fine = pipeline.handle(Request.of("GET", "/ok"));

    assertThat(crashed.status()).isEqualTo(500);
    assertThat(crashed.bodyText()).startsWith("internal error").doesNotContain("plugin bug");
    assertThat(fine.status()).isEqualTo(200);
    assertThat(fine.header("X-Trace")).isEqualTo("steady");
    assertThat(plugins.states()).containsEntry("buggy", PluginState.STARTED);
  }

  @Test
  void failuresFromFurtherDownPassThroughPluginFiltersUnchanged() {
    PluginManager plugins =
        started(
            plugin("a", context -> context.filter("trace", 0, tracing("a"))),
            plugin("b", context -> context.filter("trace", 1, tracing("b"))));
    IllegalStateException downstream = new IllegalStateException("handler down");

    assertThatThrownBy(() -> throughPluginFilters(plugins, downstream)).isSameAs(downstream);
    assertThat(pipeline(plugins).handle(Request.of("GET", "/down")).status()).isEqualTo(500);
  }

  @Test
  void requestsKeepFlowingWhilePluginsAreUnloaded() throws Exception {
    PluginManager plugins =
        started(
            plugin("stay", context -> context.filter("trace", 0, tracing("stay"))),
            plugin("leave", context -> context.filter("trace", 1, tracing("leave"))));
    Pipeline pipeline = pipeline(plugins);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicBoolean unloaded = new AtomicBoolean();
    CountDownLatch running = new CountDownLatch(threads);
    List<Future<List<String>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<String> problems = new ArrayList<>();
                  running.countDown();
                  for (int i = 0; i < 20_000; i++) {
                    boolean leftBefore = unloaded.get();
                    Response response = pipeline.handle(Request.of("GET", "/ok"));
                    String trace = response.header("X-Trace");
                    if (response.status() != 200 || trace == null || !trace.endsWith("stay")) {
                      problems.add(response.status() + " " + trace);
                    } else if (leftBefore && trace.contains("leave")) {
                      problems.add("unloaded filter still ran: " + trace);
                    }
                  }
                  return problems;
                }));
      }
      running.await();
      plugins.unload("leave");
      unloaded.set(true);
      for (Future<List<String>> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(pipeline.handle(Request.of("GET", "/ok")).header("X-Trace")).isEqualTo("stay");
  }

  @Test
  void theSdksFiltersInPluginsTakeTheRequestsTimeAndPrincipalFromThePipeline() {
    ManualTimeSource time = ManualTimeSource.create();
    PluginManager plugins =
        started(
            plugin(
                "auth",
                context ->
                    context.filter(
                        "user-from-path",
                        0,
                        (request, next) ->
                            next.proceed(request.withPrincipal(request.path().substring(1))))),
            plugin(
                "limit",
                context ->
                    context.filter(
                        "per-user",
                        10,
                        // Its own time source must not be read: the pipeline's reading is the time.
                        RateLimitFilter.keyedBy(
                            1,
                            1.0,
                            RateLimitFilter.PRINCIPAL_OR_ADDRESS,
                            new TimeSource() {
                              @Override
                              public long nanoTime() {
                                throw new AssertionError("read the plugin filter's time source");
                              }

                              @Override
                              public java.time.Instant now() {
                                throw new AssertionError("read the plugin filter's time source");
                              }
                            }))));
    Pipeline pipeline =
        Pipeline.builder()
            .timeSource(time)
            .filter(plugins.filters())
            .route("GET", "/{user}", request -> Response.ok("ok"))
            .build();

    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/bob")).status()).isEqualTo(200);
    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(429);
    time.advance(Duration.ofSeconds(1));
    assertThat(pipeline.handle(Request.of("GET", "/ada")).status()).isEqualTo(200);
  }

  @Test
  void aPluginFilterMayRunTheRestOfThePipelineAgain() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    PluginManager plugins =
        started(
            plugin(
                "retry",
                context ->
                    context.filter(
                        "once-more",
                        0,
                        (request, next) -> {
                          Response first = next.proceed(request);
                          return first.status() == 503 ? next.proceed(request) : first;
                        })),
            plugin("trace", context -> context.filter("trace", 1, tracing("trace"))));
    Pipeline pipeline =
        Pipeline.builder()
            .filter(plugins.filters())
            .route(
                "GET",
                "/flaky",
                request ->
                    calls.incrementAndGet() == 1
                        ? Response.text(503, "busy")
                        : Response.ok("second try"))
            .build();

    Response response = pipeline.handle(Request.of("GET", "/flaky"));

    assertThat(response.bodyText()).isEqualTo("second try");
    assertThat(response.header("X-Trace")).isEqualTo("trace");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aPluginProjectionFollowsTheRuntimesEventStoreAndSavesItsCheckpointOnShutdown()
      throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    Projection counter =
        new Projection() {
          @Override
          public String name() {
            return "counter";
          }

          @Override
          public void handle(RecordedEvent event) {
            seen.add(event.stream() + "@" + event.version());
            three.countDown();
          }
        };
    InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    PluginManager plugins =
        PluginManager.builder()
            .plugin(plugin("reports", context -> context.projection(counter)))
            .build();
    Lintel lintel = Lintel.builder().plugins(plugins).checkpointStore(checkpoints).build().start();
    try {
      lintel
          .eventStore()
          .append("order-1", ExpectedVersion.noStream(), List.of(NewEvent.of(Map.of("n", 1))));
      lintel
          .eventStore()
          .append(
              "order-2",
              ExpectedVersion.noStream(),
              List.of(NewEvent.of(Map.of("n", 2)), NewEvent.of(Map.of("n", 3))));

      assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).containsExactly("order-1@1", "order-2@1", "order-2@2");
      assertThat(lintel.readiness().check("plugin:reports:projection:counter").status())
          .isEqualTo(HealthStatus.UP);
    } finally {
      lintel.close();
    }
    assertThat(checkpoints.load("counter")).isEqualTo(3);
    assertThat(plugins.states()).containsEntry("reports", PluginState.STOPPED);
  }

  @Test
  void aProjectionOnAHostWithoutAnEventStoreFailsThatPluginNamingIt() {
    PluginManager plugins =
        started(
            plugin("reports", context -> context.projection(new NamedProjection("counter"))),
            plugin("other", context -> {}));

    assertThat(plugins.states())
        .containsEntry("reports", PluginState.FAILED)
        .containsEntry("other", PluginState.STARTED);
    assertThat(plugins.failure("reports"))
        .hasMessageContaining("'reports'")
        .hasMessageContaining("'counter'")
        .hasMessageContaining("no event store");
  }

  private record NamedProjection(String name) implements Projection {
    @Override
    public void handle(RecordedEvent event) {}
  }

  @Test
  void aHostDoesNotStartWithoutARequiredPlugin() {
    List<String> stopped = new CopyOnWriteArrayList<>();
    Plugin other =
        new Plugin() {
          @Override
          public PluginDescriptor descriptor() {
            return PluginDescriptor.of("other", "1.0.0", "other");
          }

          @Override
          public void start(PluginContext context) {
            context.filter("trace", 0, tracing("other"));
          }

          @Override
          public void stop() {
            stopped.add("other");
          }
        };
    PluginManager plugins =
        PluginManager.builder()
            .plugin(
                plugin(
                    "auth",
                    context -> {
                      throw new IllegalStateException("auth needs a key in its configuration");
                    }))
            .plugin(other)
            .require("auth", "other")
            .build();

    assertThatThrownBy(() -> Lintel.builder().plugins(plugins).shutdownHook(false).build().start())
        .hasRootCauseMessage("auth needs a key in its configuration")
        .cause()
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("Required plugin 'auth' did not start")
        .hasMessageContaining("FAILED");
    assertThat(stopped).containsExactly("other");
    assertThat(plugins.filterNames()).isEmpty();

    PluginManager missing = PluginManager.builder().plugin(other).require("auth").build();
    assertThatThrownBy(
            () -> missing.start(LocalCommandBus.create(), LocalQueryBus.create(), health))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("'auth'")
        .hasMessageContaining("not installed");
  }

  @Test
  void pluginFiltersSeeTheRealDownstreamFailureAndWrappingItPassesThrough() throws Exception {
    PluginManager plugins =
        started(
            plugin(
                "fallback",
                context ->
                    context.filter(
                        "io-to-502",
                        0,
                        (request, next) -> {
                          try {
                            return next.proceed(request);
                          } catch (java.io.IOException e) {
                            return Response.text(502, "upstream: " + e.getMessage());
                          }
                        })),
            plugin(
                "wrapper",
                context ->
                    context.filter(
                        "wrap",
                        1,
                        (request, next) -> {
                          try {
                            return next.proceed(request);
                          } catch (IllegalStateException e) {
                            throw new IllegalArgumentException("wrapped", e);
                          }
                        })));

    Response fromIo = throughPluginFilters(plugins, new java.io.IOException("connection reset"));
    assertThat(fromIo.status()).isEqualTo(502);
    assertThat(fromIo.bodyText()).isEqualTo("upstream: connection reset");

    IllegalStateException cause = new IllegalStateException("handler down");
    assertThatThrownBy(() -> throughPluginFilters(plugins, cause))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wrapped")
        .hasCause(cause);

    NoClassDefFoundError missing = new NoClassDefFoundError("com/example/Gone");
    assertThatThrownBy(() -> throughPluginFilters(plugins, missing)).isSameAs(missing);
  }

  @Test
  void withRequiredPluginsTheFiltersFailClosedUntilStartAndAfterStop() throws Exception {
    PluginManager plugins =
        PluginManager.builder()
            .plugin(plugin("auth", context -> context.filter("check", 0, tracing("auth"))))
            .plugin(plugin("extra", context -> {}))
            .require("auth")
            .build();
    Pipeline pipeline = pipeline(plugins);

    assertThat(pipeline.handle(Request.of("GET", "/ok")).status()).isEqualTo(503);
    assertThat(plugins.healthCheck().check().status()).isEqualTo(HealthStatus.DOWN);

    plugins.start(LocalCommandBus.create(), LocalQueryBus.create(), health);
    assertThat(pipeline.handle(Request.of("GET", "/ok")).header("X-Trace")).isEqualTo("auth");
    assertThat(plugins.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
    assertThatThrownBy(() -> plugins.unload("auth"))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("'auth' is required");
    plugins.unload("extra");
    assertThat(pipeline.handle(Request.of("GET", "/ok")).status()).isEqualTo(200);

    plugins.stop();
    Response afterStop = pipeline.handle(Request.of("GET", "/ok"));
    assertThat(afterStop.status()).isEqualTo(503);
    assertThat(afterStop.header("Retry-After")).isNotNull();
    assertThat(plugins.healthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void aStoppedPluginCannotRegisterAnythingMore() {
    java.util.concurrent.atomic.AtomicReference<PluginContext> kept =
        new java.util.concurrent.atomic.AtomicReference<>();
    PluginManager plugins = started(plugin("late", kept::set));
    plugins.stop();

    assertThatThrownBy(() -> kept.get().filter("too-late", 0, tracing("late")))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("'late' is not running");
    assertThat(plugins.filterNames()).isEmpty();
  }
}
