package dev.lintel.samples.orders.adapters.http;

import com.sun.net.httpserver.HttpServer;
import dev.lintel.Lifecycle;
import dev.lintel.core.gateway.JwtAuthFilter;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.health.HealthJson;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Headers;
import dev.lintel.gateway.Response;
import dev.lintel.health.HealthCheck;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the service: Lintel's request pipeline behind the JDK's {@link HttpServer}, as a
 * {@link Lifecycle} component of the runtime. Every request passes, in order:
 *
 * <ol>
 *   <li>the plugins' filters (the {@code security-headers} plugin jar adds its headers);
 *   <li>the in-flight count, which answers 503 once the service drains;
 *   <li>JWT authentication (HS256, issuer and audience checked) on all but the public paths;
 *   <li>a token-bucket rate limit per user (per address for the public paths);
 *   <li>the API's error mapping, then the route: health, the web page, or {@link OrdersApi}.
 * </ol>
 *
 * <p>Stopping it (the runtime stops it first, after readiness went DOWN) refuses new requests with
 * 503, waits up to the drain timeout for those in flight, then closes the server.
 */
public final class HttpApi implements Lifecycle {
  /** The issuer tokens must name. */
  public static final String ISSUER = "https://id.orders.example";

  /** The audience tokens must name. */
  public static final String AUDIENCE = "orders-api";

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final Set<String> PUBLIC_PATHS =
      Set.of("/", "/app.js", "/health/live", "/health/ready");

  private final Settings settings;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final OrdersApi api;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(16);

  /**
   * How the API is served.
   *
   * @param port the port, 0 for any free one; the server listens on loopback only
   * @param jwtSecret the HS256 key tokens are signed with, 32 bytes or more
   * @param rateLimit the limit per user: {@code RateLimitFilter} in the process, or {@code
   *     RedisRateLimitFilter} shared by every instance
   * @param drainTimeout how long stopping waits for requests in flight
   */
  public record Settings(int port, byte[] jwtSecret, Filter rateLimit, Duration drainTimeout) {}

  /**
   * Creates the API; {@link #start()} opens the port.
   *
   * @param settings how to serve
   * @param commands the command bus
   * @param queries the query bus
   * @param pluginFilters the filters the plugins contribute
   * @param liveness the liveness report, for {@code /health/live}
   * @param readiness the readiness report, for {@code /health/ready}
   * @throws IOException if the port cannot be bound
   */
  public HttpApi(
      Settings settings,
      CommandBus commands,
      QueryBus queries,
      Filter pluginFilters,
      Supplier<HealthReport> liveness,
      Supplier<HealthReport> readiness)
      throws IOException {
    this.settings = settings;
    this.api = new OrdersApi(commands, queries);
    Filter jwt =
        JwtAuthFilter.hs256(settings.jwtSecret()).issuer(ISSUER).audience(AUDIENCE).build();
    Pipeline pipeline =
        api.addRoutes(
                Pipeline.builder()
                    .filter(pluginFilters)
                    .filter(inFlight)
                    .filter(exceptPublicPaths(jwt))
                    .filter(settings.rateLimit())
                    .filter(new ApiErrors())
                    .route("GET", "/health/live", request -> health(liveness.get()))
                    .route("GET", "/health/ready", request -> health(readiness.get()))
                    .route("GET", "/", WebAssets.file("index.html", "text/html; charset=utf-8"))
                    .route("GET", "/app.js", WebAssets.file("app.js", "text/javascript")))
            .build();
    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 0);
    server.createContext("/", new ExchangeAdapter(pipeline));
    server.setExecutor(workers);
  }

  private static Filter exceptPublicPaths(Filter filter) {
    return (request, next) ->
        PUBLIC_PATHS.contains(request.path())
            ? next.proceed(request)
            : filter.filter(request, next);
  }

  private static Response health(HealthReport report) {
    int status = report.status() == HealthStatus.DOWN ? 503 : 200;
    return Response.of(
        status,
        Headers.of("Content-Type", "application/json"),
        HealthJson.render(report).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The health of the shipping route's circuit breaker: DEGRADED while open.
   *
   * @return the check
   */
  public HealthCheck shippingQuotesHealth() {
    return api.shippingQuotes().healthCheck();
  }

  /**
   * Where the API answers.
   *
   * @return its base URI
   */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  @Override
  public String name() {
    return "http-api";
  }

  @Override
  public void start() {
    server.start();
  }

  @Override
  public void stop() throws InterruptedException {
    int unfinished = inFlight.drain(settings.drainTimeout());
    if (unfinished > 0) {
      log.warn(
          "{} request(s) still in flight after {}; closing anyway",
          unfinished,
          settings.drainTimeout());
    }
    server.stop(1); // closes the port; waits (up to 1 s) for the last answers to be written
    workers.shutdown();
  }
}
