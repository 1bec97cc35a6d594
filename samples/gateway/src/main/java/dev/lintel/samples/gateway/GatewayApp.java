package dev.lintel.samples.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway sample. Build the plugin jar and run the demo (it starts the gateway, sends it
 * requests that show each feature, and stops):
 *
 * <pre>
 * ./mvnw -q -pl samples/gateway -am package -DskipTests exec:java
 * </pre>
 *
 * <p>Or keep it serving on port 8080 (Ctrl-C stops it gracefully) and use curl with the token it
 * prints: {@code ... exec:java -Dexec.args=serve}. The HS256 key comes from the environment
 * variable {@code GATEWAY_JWT_SECRET} (base64, 32 bytes or more); without it the sample makes a
 * random one-off key for this run, so there is never a known default.
 */
public final class GatewayApp {
  private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

  private GatewayApp() {}

  /**
   * Runs the demo, or serves with {@code serve [port]}.
   *
   * @param args {@code serve} and optionally a port; nothing for the demo
   * @throws Exception if the gateway cannot start
   */
  public static void main(String[] args) throws Exception {
    byte[] secret = secret();
    boolean serve = args.length > 0 && args[0].equals("serve");
    int port = serve && args.length > 1 ? Integer.parseInt(args[1]) : serve ? 8080 : 0;
    Path plugins = Path.of(System.getProperty("gateway.plugins", "samples/gateway/target/plugins"));
    try (InventoryService inventory = InventoryService.start();
        Gateway gateway =
            Gateway.start(
                new Gateway.Settings(plugins, secret, port, inventory.uri(), 10, 1, 50))) {
      DemoTokens tokens = new DemoTokens(secret);
      if (serve) {
        serve(gateway, tokens);
      } else {
        demo(gateway, inventory, tokens);
      }
    }
  }

  private static byte[] secret() {
    String configured = System.getenv("GATEWAY_JWT_SECRET");
    if (configured != null && !configured.isBlank()) {
      return Base64.getDecoder().decode(configured.trim());
    }
    log.warn("GATEWAY_JWT_SECRET is not set: using a random one-off HS256 key for this run");
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return random;
  }

  private static void serve(Gateway gateway, DemoTokens tokens) throws InterruptedException {
    String token = tokens.issue("ada", Duration.ofHours(1));
    log.info("Gateway listening on {}; plugins {}", gateway.uri(), gateway.plugins().states());
    // The demo token goes to the terminal only, never to the log.
    System.out.println("A token for 'ada', valid for an hour. Try:");
    System.out.println(
        "  curl -i -H 'Authorization: Bearer " + token + "' " + gateway.uri() + "/api/orders/42");
    System.out.println("  (and /api/stock/kbd, /api/recommendations, /health/ready); Ctrl-C stops");
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-stop"));
    new CountDownLatch(1).await(); // until the JVM stops: the hook shuts down gracefully
  }

  private static void demo(Gateway gateway, InventoryService inventory, DemoTokens tokens)
      throws IOException, InterruptedException {
    Client client = new Client(gateway.uri());
    String ada = tokens.issue("ada", Duration.ofMinutes(5));
    String bob = tokens.issue("bob", Duration.ofMinutes(5));
    System.out.println("Lintel gateway sample on " + gateway.uri());
    System.out.println("  plugins (from a jar, own class loader): " + gateway.plugins().states());
    System.out.println("  plugin filters in order: " + gateway.plugins().filterNames());
    client.show("no token", "/api/orders/42", null);
    client.show("forged token", "/api/orders/42", ada.substring(0, ada.length() - 2) + "xx");
    client.show("ada", "/api/orders/42", ada);
    client.show("ada again (cached)", "/api/orders/42", ada);
    client.show("bob (his own entry)", "/api/orders/42", bob);
    client.show("ada, flag-guarded route", "/api/recommendations", ada);
    client.show("bob, flag-guarded route", "/api/recommendations", bob);
    client.show("stock", "/api/stock/kbd", ada);
    inventory.close();
    System.out.println("  -- inventory service stopped --");
    for (int i = 0; i < 5; i++) {
      client.show("stock, downstream gone", "/api/stock/kbd", ada);
    }
    client.show("liveness", "/health/live", null);
    client.show("readiness", "/health/ready", null);
    System.out.println(
        "  readiness of the route: " + gateway.lintel().readiness().check("route:inventory"));
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < 12; i++) {
      statuses.merge(client.status("/api/orders/" + i, bob), 1, Integer::sum);
    }
    System.out.println("  bob, 12 requests in a row (burst 10, 1/s): status -> count " + statuses);
    System.out.println("  the orders handler ran " + gateway.orderLookups() + " times");
  }

  /** Sends GETs and prints one line per answer. */
  private record Client(URI base, HttpClient http) {
    Client(URI base) {
      this(base, HttpClient.newHttpClient());
    }

    HttpResponse<String> get(String path, @Nullable String token)
        throws IOException, InterruptedException {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String path, @Nullable String token) throws IOException, InterruptedException {
      return get(path, token).statusCode();
    }

    void show(String what, String path, @Nullable String token)
        throws IOException, InterruptedException {
      HttpResponse<String> response = get(path, token);
      String body =
          response.body().length() > 160
              ? response.body().substring(0, 160) + "..."
              : response.body();
      System.out.printf(
          "  %-26s GET %-22s -> %d %s%s%s%n",
          what,
          path,
          response.statusCode(),
          response.headers().firstValue("X-Cache").map(c -> "[" + c + "] ").orElse(""),
          response
              .headers()
              .firstValue("Retry-After")
              .map(s -> "[Retry-After " + s + "] ")
              .orElse(""),
          body.replace('\n', ' '));
    }
  }
}
