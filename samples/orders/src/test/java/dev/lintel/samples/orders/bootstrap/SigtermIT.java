package dev.lintel.samples.orders.bootstrap;

import static dev.lintel.samples.orders.bootstrap.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program as an operator runs it, in its own JVM, stopped with SIGTERM while a request is in
 * flight: the request finishes with its answer, new ones are refused, and the process ends.
 */
class SigtermIT {
  private static final Pattern LISTENING = Pattern.compile("Orders service on (http://\\S+)");

  @TempDir Path data;

  @Test
  void sigtermLetsTheRequestInFlightFinishAndRefusesNewOnes() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try (SlowShippingService shipping = new SlowShippingService()) {
      Process app = start(shipping.uri(), secret);
      try {
        CompletableFuture<URI> listening = listeningAddress(app);
        URI base = listening.get(60, TimeUnit.SECONDS);
        ApiClient ada =
            new ApiClient(base, new DemoTokens(secret).issue("ada", Duration.ofMinutes(5)));
        String order = placeAndAwaitReadSide(ada);

        CompletableFuture<HttpResponse<String>> inFlight =
            CompletableFuture.supplyAsync(() -> ada.get("/v1/orders/" + order + "/shipping-quote"));
        assertThat(shipping.arrived.await(10, TimeUnit.SECONDS)).isTrue();
        app.destroy(); // SIGTERM
        awaitNotReady(ada);
        HttpResponse<String> refused = ada.get("/v1/orders/" + order);
        shipping.release.countDown();

        assertThat(refused.statusCode()).isEqualTo(503);
        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(json(finished).path("price").path("amount").asText()).isEqualTo("4.90");
        assertThat(app.waitFor(20, TimeUnit.SECONDS)).as("the process ended").isTrue();
      } finally {
        app.destroyForcibly();
      }
    }
  }

  private Process start(URI shipping, byte[] secret) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "-Dorders.plugins=" + System.getProperty("orders.plugins", "target/plugins"),
            OrdersApp.class.getName(),
            "--port=0",
            "--import=none",
            "--express-rollout=0",
            "--data=" + data,
            "--shipping-url=" + shipping,
            "--jwt-secret=" + Base64.getEncoder().encodeToString(secret))
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the program's output (echoing it) and completes with the address it prints. */
  private static CompletableFuture<URI> listeningAddress(Process app) {
    CompletableFuture<URI> address = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                  System.out.println("[orders] " + line);
                  Matcher listening = LISTENING.matcher(line);
                  if (listening.find()) {
                    address.complete(URI.create(listening.group(1)));
                  }
                }
              } catch (IOException e) {
                address.completeExceptionally(e);
              }
              address.completeExceptionally(new IllegalStateException("the program ended"));
            },
            "orders-output");
    reader.setDaemon(true);
    reader.start();
    return address;
  }

  private static String placeAndAwaitReadSide(ApiClient client) throws InterruptedException {
    String customer =
        json(client.post("/v1/customers", "{\"name\":\"Ada\",\"email\":\"ada@example.org\"}"))
            .path("id")
            .asText();
    String order =
        json(client.post(
                "/v1/orders",
                "{\"customerId\":\""
                    + customer
                    + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"kbd\",\"quantity\":1,"
                    + "\"unitPrice\":\"10.00\"}]}"))
            .path("id")
            .asText();
    for (int i = 0; i < 50 && client.get("/v1/orders/" + order).statusCode() != 200; i++) {
      Thread.sleep(200); // slowly: each call spends a token of the rate limit
    }
    return order;
  }

  private static void awaitNotReady(ApiClient client) throws InterruptedException {
    for (int i = 0; i < 100 && client.get("/health/ready").statusCode() != 503; i++) {
      Thread.sleep(50);
    }
  }
}
