package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.application.Commands.RegisterCustomer;
import dev.lintel.samples.orders.application.Queries.FindCustomerByEmail;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import java.util.Objects;
import java.util.Optional;

/** The customer use cases. Thread-safe. */
public final class CustomerService {
  private final CustomerDirectory customers;

  /**
   * Creates the service.
   *
   * @param customers where customers are kept
   */
  public CustomerService(CustomerDirectory customers) {
    this.customers = Objects.requireNonNull(customers, "customers");
  }

  /**
   * Registers a customer under a new id.
   *
   * @param command the command
   * @return the new customer's id
   * @throws dev.lintel.samples.orders.domain.DomainRuleViolation if the e-mail address is taken
   */
  public CustomerId register(RegisterCustomer command) {
    Customer customer = new Customer(CustomerId.random(), command.name(), command.email());
    customers.register(customer);
    return customer.id();
  }

  /**
   * Finds a customer by e-mail address.
   *
   * @param query the query
   * @return the customer, or empty
   */
  public Optional<Customer> findByEmail(FindCustomerByEmail query) {
    return customers.findByEmail(query.email());
  }
}
