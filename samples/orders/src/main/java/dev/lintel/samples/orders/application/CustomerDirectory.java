package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Email;
import java.util.Optional;

/** Port: where customers are kept. */
public interface CustomerDirectory {

  /**
   * Registers a new customer.
   *
   * @param customer the customer
   * @throws dev.lintel.samples.orders.domain.DomainRuleViolation if the e-mail address or the id is
   *     taken
   */
  void register(Customer customer);

  /**
   * Finds a customer by id.
   *
   * @param id the id
   * @return the customer, or empty
   */
  Optional<Customer> find(CustomerId id);

  /**
   * Finds a customer by e-mail address.
   *
   * @param email the address
   * @return the customer, or empty
   */
  Optional<Customer> findByEmail(Email email);
}
