package dev.lintel.core.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lintel.pipeline.InvalidItemException;
import dev.lintel.pipeline.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file of JSON lines (one JSON value per line, UTF-8) incrementally: one buffer of 64 KiB
 * and the current line are in memory, whatever the file's size. Each line is bound to the item type
 * with Jackson. Blank lines are passed over.
 *
 * <p>The position is the byte offset after the last line read, and the length the file's size at
 * the first read, so a pipeline reports an ETA and, with checkpoints, resumes at the first line not
 * finished. A line that is not valid JSON for the type, or longer than the line limit (16 MiB by
 * default), is reported as an {@link InvalidItemException} keyed {@code <file name>@<offset>}, with
 * the line's text (cut at 1 KiB for an over-long one) as its raw form; reading goes on after it.
 *
 * <p>Used by one thread at a time, as a pipeline does.
 *
 * @param <T> the type each line is bound to
 */
public final class JsonLinesSource<T> implements Source<T> {
  /** The longest line read unless set: 16 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final int RAW_PREFIX_BYTES = 1024;

  private final Path file;
  private final String fileName;
  private final ObjectReader reader;
  private final int maxLineBytes;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private byte[] line = new byte[256];
  private @Nullable FileChannel channel;
  private volatile long position;
  private volatile long length = -1;
  private boolean eof;

  private JsonLinesSource(Path file, ObjectReader reader, int maxLineBytes) {
    this.file = file;
    Path name = file.getFileName();
    this.fileName = name != null ? name.toString() : file.toString();
    this.reader = reader;
    this.maxLineBytes = maxLineBytes;
    buffer.limit(0);
  }

  /**
   * Reads a file with a default {@link ObjectMapper}.
   *
   * @param file the file
   * @param type the type each line is bound to
   * @param <T> the item type
   * @return the source
   * @throws IllegalArgumentException if the file does not exist or is not a regular file
   */
  public static <T> JsonLinesSource<T> of(Path file, Class<T> type) {
    return builder(file, type).build();
  }

  /**
   * Starts building a source with a mapper or a line limit of its own.
   *
   * @param file the file
   * @param type the type each line is bound to
   * @param <T> the item type
   * @return a builder
   * @throws IllegalArgumentException if the file does not exist or is not a regular file
   */
  public static <T> Builder<T> builder(Path file, Class<T> type) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(type, "type");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no JSON-lines file at " + file.toAbsolutePath());
    }
    return new Builder<>(file, type);
  }

  @Override
  public @Nullable T read() throws IOException {
    FileChannel in = open();
    while (true) {
      long start = position;
      int size = readLine(in);
      if (size < 0) {
        return null;
      }
      if (size > maxLineBytes) {
        throw new InvalidItemException(
            key(start),
            new String(line, 0, Math.min(RAW_PREFIX_BYTES, line.length), StandardCharsets.UTF_8),
            new IOException("line is longer than " + maxLineBytes + " bytes"));
      }
      if (isBlank(size)) {
        continue;
      }
      try {
        return reader.readValue(line, 0, size);
      } catch (IOException | RuntimeException e) {
        throw new InvalidItemException(
            key(start), new String(line, 0, size, StandardCharsets.UTF_8), e);
      }
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void resumeAt(long offset) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative but was " + offset);
    }
    FileChannel in = open();
    if (offset > in.size()) {
      throw new IllegalArgumentException(
          "offset " + offset + " is beyond the end of " + file + " (" + in.size() + " bytes)");
    }
    in.position(offset);
    buffer.clear().limit(0);
    position = offset;
    eof = false;
  }

  @Override
  public void close() throws IOException {
    FileChannel in = channel;
    channel = null;
    if (in != null) {
      in.close();
    }
  }

  private FileChannel open() throws IOException {
    FileChannel in = channel;
    if (in == null) {
      in = FileChannel.open(file, StandardOpenOption.READ);
      length = in.size();
      channel = in;
    }
    return in;
  }

  /**
   * Reads up to the next newline into {@code line}, moving the position past it.
   *
   * @return the line's length without the newline (and a carriage return before it), or -1 at the
   *     end of the file; more than the limit when the line is too long (its start is kept)
   */
  private int readLine(FileChannel in) throws IOException {
    int size = 0;
    boolean any = false;
    while (true) {
      if (!buffer.hasRemaining()) {
        if (eof || !fill(in)) {
          eof = true;
          return any ? trimCarriageReturn(size) : -1;
        }
      }
      any = true;
      byte[] bytes = buffer.array();
      int from = buffer.position();
      int to = buffer.limit();
      int newline = from;
      while (newline < to && bytes[newline] != '\n') {
        newline++;
      }
      int chunk = newline - from;
      size = append(bytes, from, chunk, size);
      boolean found = newline < to;
      buffer.position(found ? newline + 1 : to);
      position += chunk + (found ? 1 : 0);
      if (found) {
        return trimCarriageReturn(size);
      }
    }
  }

  private boolean fill(FileChannel in) throws IOException {
    buffer.clear();
    int read = in.read(buffer);
    buffer.flip();
    return read > 0;
  }

  /** Appends to the line, keeping only the first bytes beyond the limit; returns the new size. */
  private int append(byte[] bytes, int from, int count, int size) {
    int kept = Math.min(size, maxLineBytes + 1);
    int room = Math.max(0, maxLineBytes + 1 - kept);
    int copy = Math.min(count, room);
    if (kept + copy > line.length) {
      line =
          Arrays.copyOf(line, Math.max(kept + copy, Math.min(line.length * 2, maxLineBytes + 1)));
    }
    System.arraycopy(bytes, from, line, kept, copy);
    return size + count > Integer.MAX_VALUE - 1 ? Integer.MAX_VALUE - 1 : size + count;
  }

  private int trimCarriageReturn(int size) {
    return size > 0 && size <= maxLineBytes && line[size - 1] == '\r' ? size - 1 : size;
  }

  private boolean isBlank(int size) {
    for (int i = 0; i < size; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private String key(long offset) {
    return fileName + "@" + offset;
  }

  /**
   * Builds a {@link JsonLinesSource}. Not thread-safe.
   *
   * @param <T> the item type
   */
  public static final class Builder<T> {
    private final Path file;
    private final Class<T> type;
    private ObjectMapper mapper = new ObjectMapper();
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;

    private Builder(Path file, Class<T> type) {
      this.file = file;
      this.type = type;
    }

    /**
     * Binds lines with this mapper (modules, naming, unknown-property handling); a plain {@code new
     * ObjectMapper()} by default, which fails on unknown properties.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder<T> mapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Sets the longest line read; longer ones are reported invalid. 16 MiB by default.
     *
     * @param bytes the limit in bytes, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is less than 1
     */
    public Builder<T> maxLineBytes(int bytes) {
      if (bytes < 1 || bytes == Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "maxLineBytes must be between 1 and " + (Integer.MAX_VALUE - 1) + " but was " + bytes);
      }
      this.maxLineBytes = bytes;
      return this;
    }

    /**
     * Builds the source; the file is opened at the first read.
     *
     * @return the source
     */
    public JsonLinesSource<T> build() {
      return new JsonLinesSource<>(file, mapper.readerFor(type), maxLineBytes);
    }
  }

  @Override
  public String toString() {
    return "JsonLinesSource[" + file + "]";
  }
}
