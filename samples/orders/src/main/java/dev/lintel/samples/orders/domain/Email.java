package dev.lintel.samples.orders.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An e-mail address, trimmed and lower-cased so that one mailbox is one value.
 *
 * @param value the normalized address
 */
public record Email(String value) {
  private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final int MAX_LENGTH = 254;

  /**
   * Normalizes and checks the address.
   *
   * @throws DomainRuleViolation if it is not shaped like an address or is over 254 characters
   */
  public Email {
    value = value.trim().toLowerCase(Locale.ROOT);
    if (value.length() > MAX_LENGTH || !SHAPE.matcher(value).matches()) {
      throw new DomainRuleViolation("'" + value + "' is not an e-mail address");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
