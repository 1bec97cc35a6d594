package dev.lintel.moduletests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lintel.core.pipeline.JsonLinesSource;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data pipeline on the module path: its contracts ({@code dev.lintel.pipeline}) and its
 * implementation ({@code dev.lintel.core.pipeline}) are exported, Jackson binds JSON lines to this
 * module's opened types, and the I/O stage gets its threads (virtual ones where the JDK has them).
 */
class PipelineModuleTest {
  @TempDir Path dir;

  @Test
  void aJsonLinesFileIsImportedInBatches() throws Exception {
    Path file = dir.resolve("orders.jsonl");
    Files.writeString(
        file,
        """
        {"item": "keyboard", "quantity": 2}
        {"item": "mouse", "quantity": 1}
        {"item": "screen", "quantity": 3}
        """);
    List<List<String>> saved = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(JsonLinesSource.of(file, PlaceOrder.class))
            .mapAsync(4, order -> order.item() + " x" + order.quantity())
            .ordered()
            .batch(2, Duration.ofSeconds(5))
            .to(saved::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
    assertThat(saved).containsExactly(List.of("keyboard x2", "mouse x1"), List.of("screen x3"));
    assertThat(Pipeline.class.getModule().getName()).isEqualTo("dev.lintel.core");
    assertThat(PipelineProgress.class.getModule().getName()).isEqualTo("dev.lintel.api");
  }
}
