package dev.lintel.samples.orders.bootstrap;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the orders service. See {@link OrdersConfig} for the options and environment variables.
 *
 * <pre>
 * ./mvnw -q -pl samples/orders -am package -DskipTests exec:java -Dexec.args=--demo
 * </pre>
 */
public final class OrdersApp {
  private OrdersApp() {}

  /**
   * Starts the service; with {@code --demo}, runs the tour and exits.
   *
   * @param args the options
   * @throws Exception if the service cannot start
   */
  public static void main(String[] args) throws Exception {
    OrdersConfig config = OrdersConfig.from(args, System.getenv());
    OrdersService service = OrdersService.start(config);
    if (config.demo()) {
      service.close();
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "orders-stop"));
    new CountDownLatch(1).await(); // until SIGTERM or Ctrl-C: the hook shuts down gracefully
  }
}
