package dev.lintel.samples.orders.bootstrap;

import dev.lintel.pipeline.PipelineProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Runs the orders service: starts it, imports the historic orders, then serves on port 8080 until
 * stopped (SIGTERM or Ctrl-C shut it down gracefully), or with {@code --demo} runs a scripted tour
 * over HTTP and exits. See {@link OrdersConfig} for the options and environment variables.
 *
 * <pre>
 * ./mvnw -q -pl samples/orders -am package -DskipTests exec:java -Dexec.args=--demo
 * </pre>
 */
public final class OrdersApp {
  private static final int HISTORIC_ORDERS = 1_000;

  private OrdersApp() {}

  /**
   * Starts the service; with {@code --demo}, runs the tour and exits.
   *
   * @param args the options
   * @throws Exception if the service cannot start, or the tour saw an unexpected answer
   */
  public static void main(String[] args) throws Exception {
    OrdersConfig config = OrdersConfig.from(args, System.getenv());
    PrintStream console = System.out; // the sample's console UI
    OrdersService service = OrdersService.start(config);
    try {
      importHistoricOrders(service, config, console);
      if (config.demo()) {
        boolean asExpected = new DemoTour(service, console).run();
        console.println();
        console.println("Shutting down gracefully");
        service.close();
        if (!asExpected) {
          throw new IllegalStateException("the tour saw answers it did not expect (marked !!)");
        }
        return;
      }
    } catch (Exception | Error e) {
      service.close();
      throw e;
    }
    serve(service, console);
  }

  private static void importHistoricOrders(
      OrdersService service, OrdersConfig config, PrintStream console) throws IOException {
    String configured = config.importFile();
    if ("none".equals(configured)) {
      return;
    }
    Path file =
        configured != null
            ? Path.of(configured)
            : HistoricOrdersFile.writeIfMissing(
                config.dataDirectory().resolve("historic-orders.jsonl"), HISTORIC_ORDERS, 300);
    Path deadLetters = config.dataDirectory().resolve("historic-orders.dead-letters.jsonl");
    console.println("Importing " + file + " (bad lines go to " + deadLetters + ")");
    PipelineProgress result =
        service
            .importJob()
            .run(file, deadLetters, new ConsoleProgress(console, "historic orders", lines(file)));
    if (result.read() == 0) {
      console.println("  (imported by an earlier run: the checkpoint is at the end of the file)");
    }
  }

  private static long lines(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    }
  }

  private static void serve(OrdersService service, PrintStream console)
      throws InterruptedException {
    String token = service.tokens().issue("ada", Duration.ofHours(8));
    console.println();
    console.println(
        "Orders service on " + service.uri() + " (Ctrl-C or SIGTERM stops it gracefully)");
    console.println("  web page:  " + service.uri() + "/#token=" + token);
    console.println("  a token for 'ada', valid for 8 hours (printed here, never logged):");
    console.println(
        "  curl -H 'Authorization: Bearer " + token + "' " + service.uri() + "/v1/orders");
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "orders-stop"));
    new CountDownLatch(1).await(); // until the JVM stops: the hook shuts down gracefully
  }
}
