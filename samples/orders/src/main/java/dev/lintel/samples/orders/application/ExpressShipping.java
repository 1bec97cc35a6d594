package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.domain.CustomerId;

/** Port: whether a customer is offered express shipping (a feature being rolled out). */
public interface ExpressShipping {

  /**
   * Tells whether the customer gets express shipping.
   *
   * @param customer the customer
   * @return true if offered; the same answer for the same customer while the rollout stands
   */
  boolean offeredTo(CustomerId customer);
}
