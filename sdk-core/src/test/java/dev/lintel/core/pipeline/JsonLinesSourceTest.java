package dev.lintel.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.eventsourcing.InMemoryCheckpointStore;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.InvalidItemException;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(
    value = 2,
    unit = java.util.concurrent.TimeUnit.MINUTES) // a hang fails, not stalls the build
class JsonLinesSourceTest {

  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path file = dir.resolve("orders.jsonl");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static String lines(int count) {
    return IntStream.range(0, count)
        .mapToObj(n -> "{\"id\":\"o-" + n + "\",\"amount\":" + n + "}\n")
        .collect(Collectors.joining());
  }

  @Test
  void readsLineByLineTrackingTheByteOffsetAndPassingOverBlankLines() throws Exception {
    Path file = file("{\"id\":\"a\",\"amount\":1}\r\n\n  \n{\"id\":\"b\",\"amount\":2}");
    try (JsonLinesSource<Order> source = JsonLinesSource.of(file, Order.class)) {
      assertThat(source.read()).isEqualTo(new Order("a", 1));
      assertThat(source.position()).isEqualTo(23);
      assertThat(source.length()).isEqualTo(Files.size(file));
      assertThat(source.read()).isEqualTo(new Order("b", 2));
      assertThat(source.position()).isEqualTo(Files.size(file));
      assertThat(source.read()).isNull();
    }
  }

  @Test
  void aMalformedLineIsAnInvalidItemKeyedByItsOffsetAndReadingGoesOn() throws Exception {
    Path file = file("{\"id\":\"a\",\"amount\":1}\n{\"id\":\"b\",\n{\"id\":\"c\",\"amount\":3}\n");
    try (JsonLinesSource<Order> source = JsonLinesSource.of(file, Order.class)) {
      source.read();
      assertThatThrownBy(source::read)
          .isInstanceOf(InvalidItemException.class)
          .satisfies(
              e -> {
                assertThat(((InvalidItemException) e).key()).isEqualTo("orders.jsonl@22");
                assertThat(((InvalidItemException) e).raw()).isEqualTo("{\"id\":\"b\",");
              });
      assertThat(source.read()).isEqualTo(new Order("c", 3));
    }
  }

  @Test
  void aLineOverTheLimitIsInvalidAndSkippedWhole() throws Exception {
    String longLine = "{\"id\":\"" + "x".repeat(5_000) + "\",\"amount\":1}\n";
    Path file = file(longLine + "{\"id\":\"b\",\"amount\":2}\n");
    try (JsonLinesSource<Order> source =
        JsonLinesSource.builder(file, Order.class).maxLineBytes(100).build()) {
      assertThatThrownBy(source::read)
          .isInstanceOf(InvalidItemException.class)
          .hasMessageContaining("line is longer than 100 bytes");
      assertThat(source.read()).isEqualTo(new Order("b", 2));
    }
  }

  @Test
  void resumesAtAStoredOffset() throws Exception {
    Path file = file(lines(3));
    long second;
    try (JsonLinesSource<Order> source = JsonLinesSource.of(file, Order.class)) {
      source.read();
      second = source.position();
    }
    try (JsonLinesSource<Order> source = JsonLinesSource.of(file, Order.class)) {
      source.resumeAt(second);
      assertThat(source.read()).isEqualTo(new Order("o-1", 1));
      assertThatThrownBy(() -> source.resumeAt(Files.size(file) + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is beyond the end of");
    }
  }

  @Test
  void aMissingFileIsRefusedAtOnce() {
    assertThatThrownBy(() -> JsonLinesSource.of(dir.resolve("nope.jsonl"), Order.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no JSON-lines file at ");
  }

  @Test
  void invalidLinesGoToTheDeadLetterFileAndCountAsRead() throws Exception {
    Path file = file(lines(10) + "not json\n" + lines(1));
    Path deadLetters = dir.resolve("dead.jsonl");
    List<Order> saved = Collections.synchronizedList(new ArrayList<>());
    PipelineProgress result;
    try (DeadLetterFile sink = DeadLetterFile.create(deadLetters)) {
      result =
          Pipeline.from(JsonLinesSource.of(file, Order.class))
              .onError(ErrorPolicy.deadLetter(sink))
              .to(saved::add)
              .progressInterval(Duration.ZERO)
              .build()
              .run();
    }

    assertThat(result.read()).isEqualTo(12);
    assertThat(result.processed()).isEqualTo(11);
    assertThat(result.deadLettered()).isEqualTo(1);
    List<String> letters = Files.readAllLines(deadLetters);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0))
        .contains("\"stage\":\"source\"")
        .contains("\"key\":\"orders.jsonl@" + lines(10).length() + "\"")
        .contains("\"item\":\"not json\"")
        .contains("\"attempts\":1");
  }

  @Test
  void aRestartedPipelineResumesAtTheCheckpointWithoutLosingALine() throws Exception {
    Path file = file(lines(5_000));
    InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    Set<String> saved = ConcurrentHashMap.newKeySet();
    List<String> deliveries = Collections.synchronizedList(new ArrayList<>());

    Pipeline first =
        Pipeline.from(JsonLinesSource.of(file, Order.class))
            .parallel(4, order -> order)
            .batch(20, Duration.ofMillis(5))
            .to(
                batch -> {
                  for (Order order : batch) {
                    if (order.amount() == 3_210) {
                      throw new IllegalStateException("database went away");
                    }
                  }
                  batch.forEach(order -> deliveries.add(order.id()));
                  batch.forEach(order -> saved.add(order.id()));
                })
            .name("import")
            .checkpoints(checkpoints)
            .progressInterval(Duration.ZERO)
            .build();
    assertThatThrownBy(first::run).isInstanceOf(PipelineException.class);
    long stored = checkpoints.load("import");
    assertThat(stored).isPositive().isLessThan(Files.size(file));
    assertThat(saved).hasSizeLessThan(5_000);

    PipelineProgress second =
        Pipeline.from(JsonLinesSource.of(file, Order.class))
            .parallel(4, order -> order)
            .batch(20, Duration.ofMillis(5))
            .to(
                batch -> {
                  batch.forEach(order -> deliveries.add(order.id()));
                  batch.forEach(order -> saved.add(order.id()));
                })
            .name("import")
            .checkpoints(checkpoints)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    Set<String> all = new TreeSet<>();
    IntStream.range(0, 5_000).forEach(n -> all.add("o-" + n));
    assertThat(saved).isEqualTo(all);
    assertThat(second.read()).isLessThan(5_000).isEqualTo(second.processed());
    assertThat(checkpoints.load("import")).isEqualTo(Files.size(file));
    // at least once: what the second run read again is only what the first had not finished
    assertThat(deliveries.size() - 5_000L).isLessThan(second.read());
  }

  @Test
  void checkpointsNeedASourceWithAPosition() {
    assertThatThrownBy(
            () ->
                Pipeline.from(Sources.of(new java.util.concurrent.LinkedBlockingQueue<String>()))
                    .to(item -> {})
                    .checkpoints(new InMemoryCheckpointStore()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("has no position to checkpoint");
  }
}
