package dev.lintel.samples.orders.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.samples.orders.adapters.importer.OrderImportJob;
import dev.lintel.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import of historic orders on the data pipeline, into a running service. */
class OrderImportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private OrdersService service;
  private Path file;
  private Path deadLetters;

  @BeforeEach
  void start() throws Exception {
    service =
        OrdersService.start(
            OrdersConfig.from(new String[] {"--data=" + data, "--port=0"}, Map.of()));
    // 300 lines: 3 cut short, 3 with a rule broken (unknown currency, yen cents, quantity 0)
    file = HistoricOrdersFile.writeIfMissing(data.resolve("historic.jsonl"), 300, 40);
    deadLetters = data.resolve("dead-letters.jsonl");
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private PipelineProgress runImport() throws IOException {
    List<PipelineProgress> reports = new ArrayList<>();
    PipelineProgress result = service.importJob().run(file, deadLetters, reports::add);
    assertThat(reports)
        .last()
        .extracting(PipelineProgress::processed)
        .isEqualTo(result.processed());
    return result;
  }

  @Test
  void goodLinesBecomeOrdersInTheirStateAndBadOnesDeadLettersWithTheReason() throws Exception {
    PipelineProgress result = runImport();

    assertThat(result.read()).isEqualTo(300);
    assertThat(result.processed()).isEqualTo(294);
    assertThat(result.deadLettered()).isEqualTo(6);
    String rejected = Files.readString(deadLetters);
    assertThat(rejected.lines()).hasSize(6);
    assertThat(rejected)
        .contains("unknown currency 'XXY'")
        .contains("JPY amounts have at most 0 decimals")
        .contains("quantity must be within 1..1000 but was 0");
    awaitProjected();
    assertThat(statusCountsInReadModel()).isEqualTo(statusCountsOfGoodLines());
  }

  @Test
  void aSecondRunResumesAtTheCheckpointAndReadingAgainChangesNothing() throws Exception {
    runImport();
    long events = service.lintel().eventStore().lastPosition();

    PipelineProgress resumed = runImport();
    service
        .persistence()
        .checkpoints()
        .save(OrderImportJob.NAME, 0); // as if the checkpoint was lost
    PipelineProgress again = runImport();

    assertThat(resumed.read()).isZero();
    assertThat(again.processed()).isEqualTo(294); // every order "imported" again...
    assertThat(service.lintel().eventStore().lastPosition()).isEqualTo(events); // ...as a no-op
  }

  private void awaitProjected() {
    Eventually.awaitTrue(
        () ->
            service.persistence().projection().position()
                == service.lintel().eventStore().lastPosition(),
        "the projection at the end of the store");
  }

  private Map<String, Integer> statusCountsOfGoodLines() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    List<String> rejectedIds = new ArrayList<>();
    for (String line : Files.readAllLines(deadLetters)) {
      rejectedIds.add(JSON.readTree(line).path("key").asText());
    }
    for (String line : Files.readAllLines(file)) {
      JsonNode order;
      try {
        order = JSON.readTree(line);
      } catch (JsonProcessingException cutShort) {
        continue;
      }
      if (!rejectedIds.contains(order.path("id").asText())) {
        counts.merge(order.path("status").asText(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private Map<String, Integer> statusCountsInReadModel() throws SQLException {
    Map<String, Integer> counts = new TreeMap<>();
    String url =
        "jdbc:h2:file:" + data.resolve("orders").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT status, COUNT(*) FROM order_view GROUP BY status")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }
}
