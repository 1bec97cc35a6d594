package dev.lintel.samples.pipelineimport;

import dev.lintel.core.pipeline.DeadLetterFile;
import dev.lintel.core.pipeline.JsonLinesSource;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineProgress;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a JSON-lines file of orders the way docs/pipeline.md describes: parse each line, enrich
 * it with a (simulated) remote lookup, price it on the CPU, and save it in batches to a (simulated)
 * database, with malformed lines and failed lookups going to a dead-letter file. Run it with {@code
 * ./mvnw -q -pl samples/pipeline-import -am compile exec:java}; it writes its input file first.
 */
public final class ImportApp {
  private static final Logger log = LoggerFactory.getLogger(ImportApp.class);

  /**
   * One line of the input.
   *
   * @param id the order's id
   * @param customer the customer's id
   * @param quantity how many
   * @param unitCents the price of one, in cents
   */
  public record Order(String id, String customer, int quantity, long unitCents) {}

  /**
   * An order with its customer's region.
   *
   * @param order the order
   * @param region the region
   */
  public record Enriched(Order order, String region) {}

  /**
   * A row to save.
   *
   * @param id the order's id
   * @param region the customer's region
   * @param totalCents the order's total, in cents
   */
  public record Row(String id, String region, long totalCents) {}

  /** A remote customer directory: 10 ms per lookup; an unknown customer is an error. */
  public static final class Customers {
    /**
     * Looks up a customer's region.
     *
     * @param customer the customer's id
     * @return the region
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if the customer is unknown
     */
    public String region(String customer) throws InterruptedException {
      TimeUnit.MILLISECONDS.sleep(10);
      if (customer.isEmpty()) {
        throw new IllegalArgumentException("unknown customer ''");
      }
      return "region-" + Math.floorMod(customer.hashCode(), 4);
    }
  }

  /** A database table keyed by order id: 5 ms per batch insert. */
  public static final class OrderTable {
    private final Map<String, Row> rows = new ConcurrentHashMap<>();

    /**
     * Inserts (or overwrites) rows in one round trip.
     *
     * @param batch the rows
     * @throws InterruptedException if interrupted while waiting
     */
    public void insertAll(List<Row> batch) throws InterruptedException {
      TimeUnit.MILLISECONDS.sleep(5);
      for (Row row : batch) {
        rows.put(row.id(), row);
      }
    }

    /**
     * Counts the rows.
     *
     * @return the number of rows
     */
    public int size() {
      return rows.size();
    }
  }

  private ImportApp() {}

  /**
   * Prices an order: CPU work.
   *
   * @param enriched the order
   * @return the row to save
   */
  static Row price(Enriched enriched) {
    Order order = enriched.order();
    return new Row(order.id(), enriched.region(), order.quantity() * order.unitCents());
  }

  /**
   * Runs the import.
   *
   * @param file the JSON-lines input
   * @param deadLetterFile where bad lines and failed orders go, one JSON line each
   * @param customers the customer directory
   * @param table the table the rows go to
   * @return the final counts
   * @throws IOException if the dead-letter file cannot be closed
   */
  public static PipelineProgress importOrders(
      Path file, Path deadLetterFile, Customers customers, OrderTable table) throws IOException {
    // docs/pipeline.md example: start
    try (DeadLetterFile deadLetters = DeadLetterFile.create(deadLetterFile)) {
      Pipeline pipeline =
          Pipeline.from(JsonLinesSource.of(file, Order.class)) // read and parse line by line
              .keyedBy(Order::id) // names items in logs and dead letters
              .onError(ErrorPolicy.deadLetter(deadLetters)) // malformed lines
              .mapAsync(100, order -> new Enriched(order, customers.region(order.customer())))
              .named("enrich")
              .onError(ErrorPolicy.deadLetter(deadLetters).withRetries(3, Duration.ofMillis(50)))
              .parallel(ImportApp::price) // one worker per processor
              .named("price")
              .batch(100, Duration.ofMillis(200))
              .to(table::insertAll)
              .sinkNamed("save")
              .onError(ErrorPolicy.retry(5, Duration.ofMillis(100)))
              .name("orders-import")
              .progressInterval(Duration.ofSeconds(2))
              .build();
      PipelineProgress result = pipeline.run(); // throws PipelineException if it failed
      // processed + skipped + deadLettered + dropped == read
      return result;
    }
    // docs/pipeline.md example: end
  }

  /**
   * Writes a sample file of orders, every 500th line malformed and every 700th with an unknown
   * customer.
   *
   * @param file the file to write
   * @param lines how many lines
   * @throws IOException if the file cannot be written
   */
  static void writeSample(Path file, int lines) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int n = 0; n < lines; n++) {
        if (n % 500 == 499) {
          out.write("{\"id\": \"o-" + n + "\", \"customer\": \n");
        } else {
          String customer = n % 700 == 699 ? "" : "c-" + (n % 97);
          out.write(
              "{\"id\":\"o-"
                  + n
                  + "\",\"customer\":\""
                  + customer
                  + "\",\"quantity\":"
                  + (1 + n % 5)
                  + ",\"unitCents\":"
                  + (100 + n % 1_000)
                  + "}\n");
        }
      }
    }
  }

  /**
   * Writes a sample file of 20,000 orders and imports it.
   *
   * @param args ignored
   * @throws IOException if the files cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("lintel-import");
    Path input = dir.resolve("orders.jsonl");
    Path deadLetters = dir.resolve("dead-letters.jsonl");
    writeSample(input, 20_000);
    OrderTable table = new OrderTable();
    PipelineProgress result = importOrders(input, deadLetters, new Customers(), table);
    log.info(
        "Imported {} of {} orders in {} ms ({} dead letters in {}); {} rows in the table",
        result.processed(),
        result.read(),
        result.elapsed().toMillis(),
        result.deadLettered(),
        deadLetters,
        table.size());
  }
}
