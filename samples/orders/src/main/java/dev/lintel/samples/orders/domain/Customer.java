package dev.lintel.samples.orders.domain;

import java.util.Objects;

/**
 * A customer who places orders.
 *
 * @param id the customer's id (the shard key of the customer's data)
 * @param name the name, 1 to 100 characters
 * @param email the e-mail address, unique among customers
 */
public record Customer(CustomerId id, String name, Email email) {

  /**
   * Checks the customer.
   *
   * @throws DomainRuleViolation if the name is blank or over 100 characters
   */
  public Customer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(email, "email");
    name = name.strip();
    if (name.isEmpty() || name.length() > 100) {
      throw new DomainRuleViolation(
          "a customer's name has 1 to 100 characters but was '" + name + "'");
    }
  }
}
