package dev.lintel.samples.pipelineimport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportAppTest {
  @TempDir Path dir;

  @Test
  void theDocumentedImportSavesGoodOrdersAndDeadLettersTheRest() throws Exception {
    Path input = dir.resolve("orders.jsonl");
    Path deadLetters = dir.resolve("dead.jsonl");
    ImportApp.writeSample(input, 2_000);
    ImportApp.OrderTable table = new ImportApp.OrderTable();

    PipelineProgress result =
        ImportApp.importOrders(input, deadLetters, new ImportApp.Customers(), table);

    // lines 499, 999, 1499, 1999 are malformed; 699 and 1399 name an unknown customer
    assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
    assertThat(result.read()).isEqualTo(2_000);
    assertThat(result.deadLettered()).isEqualTo(6);
    assertThat(result.processed()).isEqualTo(1_994).isEqualTo(table.size());
    List<String> letters = Files.readAllLines(deadLetters);
    assertThat(letters).hasSize(6);
    assertThat(letters)
        .filteredOn(line -> line.contains("\"stage\":\"enrich\""))
        .hasSize(2)
        .allSatisfy(
            line -> assertThat(line).contains("\"attempts\":3").contains("unknown customer"));
  }
}
