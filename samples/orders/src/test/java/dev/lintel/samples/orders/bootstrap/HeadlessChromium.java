package dev.lintel.samples.orders.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's WebSocket client: enough to
 * open a page, run JavaScript in it and wait for what it shows. The browser is Debian's {@code
 * chromium} ({@code LINTEL_TEST_CHROMIUM}, which {@code scripts/with-services.sh} installs and
 * sets).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, URI pageSocket)
      throws InterruptedException {
    this.process = process;
    this.profile = profile;
    this.page =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(pageSocket, new Replies())
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
  }

  static HeadlessChromium start() throws IOException, InterruptedException {
    String executable = System.getenv().getOrDefault("LINTEL_TEST_CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(executable))) {
      throw new IllegalStateException(
          "no Chromium at "
              + executable
              + ": run the tests through scripts/with-services.sh, which installs Debian's"
              + " chromium, or set LINTEL_TEST_CHROMIUM");
    }
    Path profile = Files.createTempDirectory("orders-chromium");
    Process process =
        new ProcessBuilder(
                executable,
                "--headless",
                "--no-sandbox", // tests may run as root, which the sandbox refuses
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    try {
      URI browser = browserSocket(process);
      return new HeadlessChromium(process, profile, pageSocket(browser));
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(process, profile);
      throw e;
    }
  }

  /**
   * Reads the browser's DevTools address from its output, then drains the rest in the background.
   */
  private static URI browserSocket(Process process) throws IOException {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      Matcher listening = LISTENING.matcher(line);
      if (listening.find()) {
        Thread drain = new Thread(() -> drain(output), "chromium-output");
        drain.setDaemon(true);
        drain.start();
        return URI.create(listening.group(1));
      }
    }
    throw new IllegalStateException("Chromium ended without opening its DevTools port");
  }

  private static void drain(BufferedReader output) {
    try {
      while (output.readLine() != null) {
        // Chromium's log: read so that it never blocks on a full pipe
      }
    } catch (IOException closed) {
      // the browser stopped
    }
  }

  /** The WebSocket of the browser's first page (about:blank), from the DevTools HTTP endpoint. */
  private static URI pageSocket(URI browser) throws IOException, InterruptedException {
    URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
    HttpResponse<String> targets =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : JSON.readTree(targets.body())) {
      if ("page".equals(target.path("type").asText())) {
        return URI.create(target.path("webSocketDebuggerUrl").asText());
      }
    }
    throw new IllegalStateException("Chromium has no page: " + targets.body());
  }

  void open(URI url) {
    call("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
  }

  /** Runs JavaScript in the page and returns its value (awaited if it is a promise). */
  JsonNode evaluate(String expression) {
    JsonNode reply =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (reply.has("exceptionDetails")) {
      throw new IllegalStateException("the page threw: " + reply.path("exceptionDetails"));
    }
    return reply.path("result").path("value");
  }

  /** Evaluates the expression until its value passes the test, for at most the timeout. */
  JsonNode await(String expression, Predicate<JsonNode> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode value = evaluate(expression);
    while (!test.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "after " + timeout + " the page shows " + expression + " = " + value);
      }
      Thread.sleep(50);
      value = evaluate(expression);
    }
    return value;
  }

  private JsonNode call(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    page.sendText(message.toString(), true).join();
    JsonNode answer = reply.orTimeout(10, TimeUnit.SECONDS).join();
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.path("error"));
    }
    return answer.path("result");
  }

  /** Completes each call with its reply; events (messages without an id) are not needed here. */
  private final class Replies implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
      message.append(part);
      if (last) {
        try {
          JsonNode reply = JSON.readTree(message.toString());
          CompletableFuture<JsonNode> call = pending.remove(reply.path("id").asInt(-1));
          if (call != null) {
            call.complete(reply);
          }
        } catch (IOException e) {
          pending.values().forEach(call -> call.completeExceptionally(e));
        }
        message.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }

  @Override
  public void close() {
    page.abort();
    stop(process, profile);
  }

  private static void stop(Process process, Path profile) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    } catch (IOException | InterruptedException e) {
      // a leftover temporary profile is harmless
    }
  }
}
