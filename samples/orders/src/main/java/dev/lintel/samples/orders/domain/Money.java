package dev.lintel.samples.orders.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of one currency, held exactly in the currency's minor unit (cents for EUR, yen for
 * JPY). Amounts are never negative, and two amounts of different currencies are never added or
 * compared: that would silently convert at a rate nobody chose.
 *
 * @param minorUnits the amount in minor units, 0 or more
 * @param currency the currency
 */
public record Money(long minorUnits, Currency currency) {

  /**
   * Checks the amount.
   *
   * @throws DomainRuleViolation if the amount is negative
   */
  public Money {
    Objects.requireNonNull(currency, "currency");
    if (minorUnits < 0) {
      throw new DomainRuleViolation("an amount cannot be negative but was " + minorUnits);
    }
  }

  /**
   * Reads a decimal amount such as {@code "12.50"} in a currency such as {@code "EUR"}.
   *
   * @param amount the decimal amount
   * @param currencyCode the ISO 4217 code
   * @return the money
   * @throws DomainRuleViolation if the code is unknown, the amount is not a number, is negative or
   *     has more decimals than the currency allows ({@code "1.5"} JPY)
   */
  public static Money of(String amount, String currencyCode) {
    Currency currency = currency(currencyCode);
    BigDecimal decimal;
    try {
      decimal = new BigDecimal(amount);
    } catch (NumberFormatException e) {
      throw new DomainRuleViolation("'" + amount + "' is not an amount");
    }
    int digits = Math.max(currency.getDefaultFractionDigits(), 0);
    if (decimal.stripTrailingZeros().scale() > digits) {
      throw new DomainRuleViolation(
          currency + " amounts have at most " + digits + " decimals but got " + amount);
    }
    try {
      return new Money(decimal.movePointRight(digits).longValueExact(), currency);
    } catch (ArithmeticException e) {
      throw new DomainRuleViolation("amount " + amount + " is too large");
    }
  }

  /**
   * Makes zero of a currency.
   *
   * @param currency the currency
   * @return zero
   */
  public static Money zero(Currency currency) {
    return new Money(0, currency);
  }

  /**
   * Finds a currency by its ISO 4217 code.
   *
   * @param code the code, such as {@code "EUR"}
   * @return the currency
   * @throws DomainRuleViolation if the code is unknown
   */
  public static Currency currency(String code) {
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DomainRuleViolation("unknown currency '" + code + "'");
    }
  }

  /**
   * Adds an amount of the same currency.
   *
   * @param other the amount to add
   * @return the sum
   * @throws DomainRuleViolation if the currencies differ or the sum overflows
   */
  public Money plus(Money other) {
    requireSameCurrency(other);
    try {
      return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    } catch (ArithmeticException e) {
      throw new DomainRuleViolation("amount too large");
    }
  }

  /**
   * Multiplies by a count.
   *
   * @param count how many, 0 or more
   * @return the product
   * @throws DomainRuleViolation if the count is negative or the product overflows
   */
  public Money times(int count) {
    if (count < 0) {
      throw new DomainRuleViolation("cannot multiply an amount by " + count);
    }
    try {
      return new Money(Math.multiplyExact(minorUnits, count), currency);
    } catch (ArithmeticException e) {
      throw new DomainRuleViolation("amount too large");
    }
  }

  /**
   * Checks that another amount is in this amount's currency.
   *
   * @param other the other amount
   * @throws DomainRuleViolation if it is not
   */
  public void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new DomainRuleViolation(
          "cannot combine " + currency + " with " + other.currency + " amounts");
    }
  }

  /**
   * Writes the amount as a decimal, {@code "12.50"} for 1250 EUR cents.
   *
   * @return the decimal amount
   */
  public String decimal() {
    return BigDecimal.valueOf(minorUnits, Math.max(currency.getDefaultFractionDigits(), 0))
        .toPlainString();
  }

  @Override
  public String toString() {
    return decimal() + " " + currency;
  }
}
