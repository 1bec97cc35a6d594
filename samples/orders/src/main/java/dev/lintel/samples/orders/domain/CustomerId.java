package dev.lintel.samples.orders.domain;

import java.util.UUID;

/**
 * The identity of a customer: 1 to 64 letters, digits, dashes or underscores.
 *
 * @param value the id
 */
public record CustomerId(String value) {

  /**
   * Checks the id.
   *
   * @throws DomainRuleViolation if it is not 1 to 64 letters, digits, dashes or underscores
   */
  public CustomerId {
    Identifiers.checked(value, "customer");
  }

  /**
   * Makes a new random id.
   *
   * @return the id
   */
  public static CustomerId random() {
    return new CustomerId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
