package dev.lintel.samples.orders.domain;

import java.util.UUID;

/**
 * The identity of a order: 1 to 64 letters, digits, dashes or underscores.
 *
 * @param value the id
 */
public record OrderId(String value) {

  /**
   * Checks the id.
   *
   * @throws DomainRuleViolation if it is not 1 to 64 letters, digits, dashes or underscores
   */
  public OrderId {
    Identifiers.checked(value, "order");
  }

  /**
   * Makes a new random id.
   *
   * @return the id
   */
  public static OrderId random() {
    return new OrderId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
