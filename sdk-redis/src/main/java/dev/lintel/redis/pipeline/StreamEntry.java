package dev.lintel.redis.pipeline;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of a Redis stream as a pipeline item.
 *
 * @param id the entry's id, unique in the stream ({@code 1700000000000-0})
 * @param body the entry's fields
 */
public record StreamEntry(String id, Map<String, String> body) {

  /**
   * Validates and copies the components.
   *
   * @param id the entry's id
   * @param body the entry's fields
   */
  public StreamEntry {
    Objects.requireNonNull(id, "id");
    body = Map.copyOf(body);
  }
}
