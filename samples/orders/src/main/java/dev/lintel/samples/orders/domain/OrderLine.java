package dev.lintel.samples.orders.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of an order: a product, how many, and the price of one.
 *
 * @param sku the product's stock-keeping unit: 1 to 32 letters, digits or dashes
 * @param quantity how many, 1 to 1,000
 * @param unitPrice the price of one
 */
public record OrderLine(String sku, int quantity, Money unitPrice) {
  static final int MAX_QUANTITY = 1_000;
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9-]{1,32}");

  /**
   * Checks the line.
   *
   * @throws DomainRuleViolation if the SKU is malformed or the quantity is out of 1..1,000
   */
  public OrderLine {
    Objects.requireNonNull(unitPrice, "unitPrice");
    if (!SKU.matcher(sku).matches()) {
      throw new DomainRuleViolation("'" + sku + "' is not a valid SKU");
    }
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new DomainRuleViolation(
          "quantity must be within 1.." + MAX_QUANTITY + " but was " + quantity);
    }
  }

  /**
   * Prices the line.
   *
   * @return quantity times unit price
   */
  public Money total() {
    return unitPrice.times(quantity);
  }
}
