package dev.lintel.core.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.Sink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A dead-letter sink that appends each {@link DeadLetter} to a file as one JSON line: {@code
 * pipeline}, {@code stage}, {@code key}, {@code attempts}, {@code at}, {@code error} (class and
 * message) and {@code item} (as JSON when the mapper can write it, otherwise its {@code
 * toString()}). Each line is flushed to the operating system before {@link #accept} returns.
 * Thread-safe.
 */
public final class DeadLetterFile implements Sink<DeadLetter>, AutoCloseable {
  private final ObjectMapper mapper;
  private final OutputStream out;

  private DeadLetterFile(Path file, ObjectMapper mapper) throws IOException {
    this.mapper = mapper;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Opens (creating or appending to) a dead-letter file, writing items with a default mapper.
   *
   * @param file the file
   * @return the sink; close it after the pipeline
   * @throws java.io.UncheckedIOException if the file cannot be opened
   */
  public static DeadLetterFile create(Path file) {
    return create(file, new ObjectMapper());
  }

  /**
   * Opens (creating or appending to) a dead-letter file, writing items with this mapper.
   *
   * @param file the file
   * @param mapper writes the items
   * @return the sink; close it after the pipeline
   * @throws java.io.UncheckedIOException if the file cannot be opened
   */
  public static DeadLetterFile create(Path file, ObjectMapper mapper) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(mapper, "mapper");
    try {
      return new DeadLetterFile(file, mapper);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open dead-letter file " + file, e);
    }
  }

  @Override
  public synchronized void accept(DeadLetter letter) throws IOException {
    ObjectNode json = mapper.createObjectNode();
    json.put("pipeline", letter.pipeline());
    json.put("stage", letter.stage());
    json.put("key", letter.key());
    json.put("attempts", letter.attempts());
    json.put("at", letter.at().toString());
    json.put("error", String.valueOf(letter.error()));
    try {
      json.set("item", mapper.valueToTree(letter.item()));
    } catch (IllegalArgumentException notJson) {
      json.put("item", String.valueOf(letter.item()));
    }
    out.write(mapper.writeValueAsBytes(json));
    out.write('\n');
    out.flush();
  }

  /**
   * Closes the file.
   *
   * @throws IOException if closing fails
   */
  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
