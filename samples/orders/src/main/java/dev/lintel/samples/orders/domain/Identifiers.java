package dev.lintel.samples.orders.domain;

import java.util.regex.Pattern;

/** The one shape every id of the domain has: 1 to 64 letters, digits, dashes or underscores. */
final class Identifiers {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Identifiers() {}

  static String checked(String value, String what) {
    if (!SHAPE.matcher(value).matches()) {
      throw new DomainRuleViolation("'" + value + "' is not a valid " + what + " id");
    }
    return value;
  }
}
