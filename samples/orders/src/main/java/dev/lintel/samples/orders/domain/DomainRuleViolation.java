package dev.lintel.samples.orders.domain;

/** A request the domain refuses: a broken invariant or an invalid value, with the reason. */
public final class DomainRuleViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the violation.
   *
   * @param message what rule was broken, with the offending value
   */
  public DomainRuleViolation(String message) {
    super(message);
  }
}
