package dev.lintel.samples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.flags.FlagContext;
import dev.lintel.health.HealthStatus;
import dev.lintel.plugin.PluginState;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sample gateway over real HTTP, with the plugin-demo jar that the build copied into {@code
 * target/plugins} (never on this test's class path) and a real downstream inventory server.
 */
class GatewayIT {
  private static final byte[] SECRET =
      "a-gateway-test-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
  private static final Path PLUGINS = Path.of(System.getProperty("gateway.plugins"));

  private final HttpClient http = HttpClient.newHttpClient();
  private final DemoTokens tokens = new DemoTokens(SECRET);
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private InventoryService inventory() throws IOException {
    InventoryService inventory = InventoryService.start();
    opened.add(inventory);
    return inventory;
  }

  private Gateway gateway(URI inventory, long burst, int rollout) throws IOException {
    Gateway gateway =
        Gateway.start(new Gateway.Settings(PLUGINS, SECRET, 0, inventory, burst, 1, rollout));
    opened.add(gateway);
    return gateway;
  }

  private HttpResponse<String> get(Gateway gateway, String path, @Nullable String user)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri().resolve(path)).GET();
    if (user != null) {
      request.header("Authorization", "Bearer " + tokens.issue(user, Duration.ofMinutes(5)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePluginsComeFromTheirJarInTheirOwnClassLoader() throws Exception {
    assertThat(Files.list(PLUGINS))
        .extracting(Path::getFileName)
        .map(Path::toString)
        .contains("plugin-demo.jar");
    assertThatThrownBy(() -> Class.forName("com.example.gatewayplugins.JwtAuthPlugin"))
        .isInstanceOf(ClassNotFoundException.class);

    Gateway gateway = gateway(inventory().uri(), 100, 50);

    assertThat(gateway.plugins().states())
        .containsEntry("jwt-auth", PluginState.STARTED)
        .containsEntry("request-log", PluginState.STARTED)
        .containsEntry("rate-limit", PluginState.STARTED);
    assertThat(gateway.plugins().startOrder()).containsSubsequence("jwt-auth", "rate-limit");
    assertThat(gateway.plugins().filterNames())
        .containsExactly("request-log:access-log", "jwt-auth:jwt", "rate-limit:token-bucket");
  }

  @Test
  void apiRoutesNeedAValidTokenAndAnswersAreCachedPerCaller() throws Exception {
    Gateway gateway = gateway(inventory().uri(), 100, 50);

    HttpResponse<String> anonymous = get(gateway, "/api/orders/42", null);
    HttpResponse<String> first = get(gateway, "/api/orders/42", "ada");
    HttpResponse<String> second = get(gateway, "/api/orders/42", "ada");
    HttpResponse<String> other = get(gateway, "/api/orders/42", "bob");

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .get()
        .asString()
        .startsWith("Bearer");
    assertThat(anonymous.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("\"owner\":\"ada\"");
    assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(other.body()).contains("\"owner\":\"bob\"");
    assertThat(gateway.orderLookups()).isEqualTo(2);
    assertThat(get(gateway, "/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void eachCallerGetsItsOwnBurstAndThenA429WithRetryAfter() throws Exception {
    Gateway gateway = gateway(inventory().uri(), 3, 50);

    List<Integer> ada = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ada.add(get(gateway, "/api/orders/" + i, "ada").statusCode());
    }
    HttpResponse<String> refused = get(gateway, "/api/orders/9", "ada");

    assertThat(ada).containsExactly(200, 200, 200, 429);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(get(gateway, "/api/orders/1", "bob").statusCode()).isEqualTo(200);
  }

  @Test
  void aDownstreamThatGoesAwayOpensTheBreakerAndDegradesReadinessOnly() throws Exception {
    InventoryService inventory = inventory();
    Gateway gateway = gateway(inventory.uri(), 100, 50);
    assertThat(get(gateway, "/api/stock/kbd", "ada").body()).contains("\"sku\":\"kbd\"");

    inventory.close();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(inventory.uri().resolve("/stock/x")).build(),
                    HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(get(gateway, "/api/stock/kbd", "ada").statusCode());
    }

    // A window of 4 calls with 50% failures opens the breaker: then 503 without calling out.
    assertThat(statuses).containsExactly(502, 502, 502, 503, 503);
    HttpResponse<String> ready = get(gateway, "/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"DEGRADED\"").contains("breaker inventory OPEN");
    assertThat(gateway.lintel().liveness().status()).isEqualTo(HealthStatus.UP);
    assertThat(get(gateway, "/api/orders/1", "ada").statusCode()).isEqualTo(200);
  }

  @Test
  void theFlagGuardedRouteAnswersOnlyTheUsersTheRolloutLetsIn() throws Exception {
    Gateway gateway = gateway(inventory().uri(), 1_000, 30);
    int in = 0;
    int out = 0;
    for (int i = 0; i < 40; i++) {
      String user = "user-" + i;
      boolean enabled =
          gateway.flags().isEnabled(Gateway.RECOMMENDATIONS, FlagContext.user(user), false);
      HttpResponse<String> response = get(gateway, "/api/recommendations", user);
      assertThat(response.statusCode()).as(user).isEqualTo(enabled ? 200 : 404);
      if (enabled) {
        assertThat(response.body()).contains("\"for\":\"" + user + "\"");
        in++;
      } else {
        out++;
      }
    }
    assertThat(in).isPositive();
    assertThat(out).isPositive();
  }

  @Test
  void withoutAKeyTheGatewayRefusesToStartAndServesNothing() throws Exception {
    URI inventory = inventory().uri();

    assertThatThrownBy(
            () -> Gateway.start(new Gateway.Settings(PLUGINS, null, 0, inventory, 10, 1, 50)))
        .hasMessageContaining("failed to start")
        .rootCause()
        .hasMessageContaining("'jwt-auth'")
        .hasMessageContaining("hs256-secret-base64");
  }
}
