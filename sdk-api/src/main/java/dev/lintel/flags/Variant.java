package dev.lintel.flags;

import java.util.Objects;

/**
 * One variant of a flag and its weight: a user gets a variant with probability weight / total
 * weight, and keeps it.
 *
 * @param name the variant's name
 * @param weight its relative weight; positive
 */
public record Variant(String name, int weight) {

  /**
   * Validates the variant.
   *
   * @param name the variant's name; not blank
   * @param weight positive
   * @throws IllegalArgumentException if the name is blank or the weight not positive
   */
  public Variant {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("variant name must not be blank");
    }
    if (weight <= 0) {
      throw new IllegalArgumentException(
          "weight of variant '" + name + "' must be positive but was " + weight);
    }
  }
}
