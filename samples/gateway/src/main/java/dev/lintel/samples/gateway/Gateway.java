package dev.lintel.samples.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.lintel.Lifecycle;
import dev.lintel.cache.KeyCodec;
import dev.lintel.core.Lintel;
import dev.lintel.core.cache.TieredCache;
import dev.lintel.core.cache.TieredCacheConfig;
import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.core.gateway.CircuitBreakingHandler;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.gateway.ResponseCachingFilter;
import dev.lintel.core.health.HealthJson;
import dev.lintel.core.plugin.PluginManager;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The sample gateway: a {@link Lintel} runtime with the plugin jars of a directory (JWT
 * authentication, request log and rate limit from {@code samples/plugin-demo}, all required), and a
 * {@link Pipeline} behind the JDK's {@link HttpServer} with
 *
 * <ul>
 *   <li>{@code GET /api/orders/{id}}: answers cached per caller ({@link ResponseCachingFilter});
 *   <li>{@code GET /api/stock/{sku}}: the inventory service behind a circuit breaker;
 *   <li>{@code GET /api/recommendations}: only for the users the {@code recommendations} flag's
 *       rollout lets in, 404 for the others;
 *   <li>{@code GET /health/live} and {@code /health/ready}: the runtime's health as JSON, 503 when
 *       DOWN.
 * </ul>
 *
 * <p>Closing it shuts down gracefully: readiness goes DOWN, then the HTTP server stops taking
 * requests and finishes those in flight, then the plugins stop.
 */
final class Gateway implements AutoCloseable {
  static final String ISSUER = "https://id.example";
  static final String AUDIENCE = "lintel-gateway";
  static final String RECOMMENDATIONS = "recommendations";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Headers JSON_HEADERS = Headers.of("Content-Type", "application/json");
  private static final AttributeKey<String> ORDER_ID = Pipeline.pathParameter("id");

  private final Lintel lintel;
  private final PluginManager plugins;
  private final Flags flags;
  private final CircuitBreakingHandler inventory;
  private final HttpServer server;
  private final AtomicLong orderLookups = new AtomicLong();

  /** What a gateway is started with. */
  record Settings(
      Path pluginDirectory,
      byte @Nullable [] jwtSecret,
      int port,
      URI inventory,
      long burst,
      long perSecond,
      int rolloutPercent) {}

  private Gateway(Settings settings) throws IOException {
    Map<String, String> jwt =
        settings.jwtSecret() == null
            ? Map.of() // jwt-auth refuses to start without a key, and it is required
            : Map.of(
                "hs256-secret-base64", Base64.getEncoder().encodeToString(settings.jwtSecret()),
                "issuer", ISSUER,
                "audience", AUDIENCE);
    plugins =
        PluginManager.builder()
            .directory(settings.pluginDirectory())
            .config("jwt-auth", jwt)
            .config(
                "rate-limit",
                Map.of(
                    "capacity", Long.toString(settings.burst()),
                    "per-second", Long.toString(settings.perSecond())))
            .require("jwt-auth", "request-log", "rate-limit")
            .build();

    InMemoryFlagStore flagStore = new InMemoryFlagStore();
    flagStore.put(Flag.rollout(RECOMMENDATIONS, settings.rolloutPercent()));
    flags = Flags.using(flagStore);

    TieredCache<String, Response> responses =
        TieredCache.builder("gateway-responses", KeyCodec.strings(), Response.class)
            .config(TieredCacheConfig.custom().l1(10_000, Duration.ofSeconds(30)).build())
            .build();
    ResponseCachingFilter caching = ResponseCachingFilter.builder(responses).build();

    inventory =
        CircuitBreakingHandler.of(
            "inventory",
            new InventoryClient(settings.inventory()),
            CircuitBreakerConfig.custom()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .build());

    Pipeline pipeline =
        Pipeline.builder()
            .filter(plugins.filters())
            .route("GET", "/health/live", request -> health(lintel().liveness()))
            .route("GET", "/health/ready", request -> health(lintel().readiness()))
            .route("GET", "/api/orders/{id}", caching.around(this::order))
            .route("GET", "/api/stock/{sku}", inventory)
            .route("GET", "/api/recommendations", this::recommendations)
            .build();

    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 0);
    server.createContext("/", new HttpServerAdapter(pipeline));
    ExecutorService workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);

    lintel =
        Lintel.builder()
            .plugins(plugins)
            .cache(responses)
            .component(httpServer(workers))
            .shutdownTimeout(Duration.ofSeconds(5))
            .build();
    lintel
        .health()
        .register("route:inventory", Set.of(HealthGroup.READINESS), inventory.healthCheck());
  }

  /**
   * Starts a gateway.
   *
   * @throws dev.lintel.LintelException if a required plugin does not start (for example jwt-auth
   *     without a key); nothing keeps running then
   */
  static Gateway start(Settings settings) throws IOException {
    Gateway gateway = new Gateway(settings);
    gateway.lintel.start();
    return gateway;
  }

  /** The HTTP server as a component: started last, so stopped first on shutdown. */
  private Lifecycle httpServer(ExecutorService workers) {
    return new Lifecycle() {
      @Override
      public String name() {
        return "http-server";
      }

      @Override
      public void start() {
        server.start();
      }

      @Override
      public void stop() {
        server.stop(2); // no new connections; up to 2 s for the exchanges in flight
        workers.shutdown();
      }
    };
  }

  private Response order(Request request) throws JsonProcessingException {
    long lookup = orderLookups.incrementAndGet();
    return json(
        200,
        Map.of(
            "id", String.valueOf(request.attribute(ORDER_ID)),
            "owner", String.valueOf(request.principal()),
            "lookup", lookup));
  }

  private Response recommendations(Request request) throws JsonProcessingException {
    String user = Objects.requireNonNull(request.principal(), "authenticated by jwt-auth");
    if (!flags.isEnabled(RECOMMENDATIONS, FlagContext.user(user), false)) {
      return Response.text(404, "not found");
    }
    return json(200, Map.of("for", user, "items", List.of("desk lamp", "wrist rest")));
  }

  private static Response health(HealthReport report) {
    int status = report.status() == HealthStatus.DOWN ? 503 : 200;
    return json(status, HealthJson.render(report).getBytes(StandardCharsets.UTF_8));
  }

  private static Response json(int status, Map<String, Object> body)
      throws JsonProcessingException {
    return json(status, JSON.writeValueAsBytes(body));
  }

  private static Response json(int status, byte[] body) {
    return Response.of(status, JSON_HEADERS, body);
  }

  /** Where the gateway answers. */
  URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  PluginManager plugins() {
    return plugins;
  }

  Flags flags() {
    return flags;
  }

  /** How many times the orders handler ran (cache misses). */
  long orderLookups() {
    return orderLookups.get();
  }

  /** The runtime, for its health. */
  Lintel lintel() {
    return lintel;
  }

  @Override
  public void close() {
    lintel.close();
    flags.close();
  }
}
