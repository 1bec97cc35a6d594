package dev.lintel.samples.orders.adapters.flags;

import dev.lintel.core.flags.Flags;
import dev.lintel.flags.FlagContext;
import dev.lintel.samples.orders.application.ExpressShipping;
import dev.lintel.samples.orders.domain.CustomerId;

/**
 * Express shipping as the feature flag {@value #FLAG}: a percentage rollout by customer, so the
 * same customer keeps the same answer and stays in as the percentage grows. Off when the flag is
 * unknown or its store fails.
 */
public final class FlagExpressShipping implements ExpressShipping {
  /** The flag's name. */
  public static final String FLAG = "express-shipping";

  private final Flags flags;

  /**
   * Creates the adapter.
   *
   * @param flags the flags, in memory or on Redis
   */
  public FlagExpressShipping(Flags flags) {
    this.flags = flags;
  }

  @Override
  public boolean offeredTo(CustomerId customer) {
    return flags.isEnabled(FLAG, FlagContext.user(customer.value()), false);
  }
}
