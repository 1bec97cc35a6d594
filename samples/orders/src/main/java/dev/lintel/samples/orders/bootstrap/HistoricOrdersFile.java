package dev.lintel.samples.orders.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Writes the demo's export of the old system: historic orders as JSON lines, the same file for the
 * same count every time (a fixed seed), so a checkpointed import can resume in it. About one line
 * in a hundred is bad in a way an export can be: cut short, an unknown currency, a yen amount with
 * cents, a quantity of zero, a paid order without lines.
 */
final class HistoricOrdersFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STATUSES = List.of("PLACED", "PAID", "SHIPPED", "CANCELLED");
  private static final List<String> SKUS = List.of("keyboard", "mouse", "monitor", "desk-lamp");
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  private HistoricOrdersFile() {}

  /**
   * Writes the file, unless it exists.
   *
   * @param file where
   * @param count how many lines
   * @param customers over how many customers the orders spread
   * @return the file
   * @throws IOException if it cannot be written
   */
  static Path writeIfMissing(Path file, int count, int customers) throws IOException {
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Random random = new Random(42);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int n = 1; n <= count; n++) {
        ObjectNode order = order(n, random, customers);
        String line = JSON.writeValueAsString(order);
        if (n % 100 == 50) {
          line = line.substring(0, line.length() / 2); // cut short
        } else if (n % 100 == 70) {
          breakRule(order, n);
          line = JSON.writeValueAsString(order);
        }
        out.write(line);
        out.write('\n');
      }
    }
    return file;
  }

  private static ObjectNode order(int n, Random random, int customers) {
    int customer = 1 + random.nextInt(customers);
    ObjectNode order = JSON.createObjectNode();
    order.put("id", String.format("h-%05d", n));
    order.put("customerName", "Customer " + customer);
    order.put("customerEmail", "customer" + customer + "@example.org");
    order.put("currency", "EUR");
    order.put("placedAt", START.plus(Duration.ofMinutes(37L * n)).toString());
    order.put("status", STATUSES.get(random.nextInt(STATUSES.size())));
    ArrayNode lines = order.putArray("lines");
    for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
      lines
          .addObject()
          .put("sku", SKUS.get(random.nextInt(SKUS.size())))
          .put("quantity", 1 + random.nextInt(4))
          .put("unitPrice", (5 + random.nextInt(200)) + "." + (10 + random.nextInt(90)));
    }
    return order;
  }

  private static void breakRule(ObjectNode order, int n) {
    switch ((n / 100) % 4) {
      case 0 -> order.put("currency", "XXY");
      case 1 -> order.put("currency", "JPY"); // its prices have cents
      case 2 -> ((ObjectNode) order.get("lines").get(0)).put("quantity", 0);
      default -> order.put("status", "PAID").putArray("lines");
    }
  }
}
