package dev.lintel.core.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A set of accepted versions: {@code *}; an exact {@code 1.2.3}; {@code ^1.2.3} (at least it, same
 * major; for 0.x the same minor); {@code ~1.2.3} (at least it, same minor); or comparators {@code
 * >=, >, <=, <, =} separated by spaces, all of which must hold.
 */
final class VersionRange {
  private final String text;
  private final List<Predicate<SemanticVersion>> conditions;

  private VersionRange(String text, List<Predicate<SemanticVersion>> conditions) {
    this.text = text;
    this.conditions = conditions;
  }

  static VersionRange parse(String text) {
    List<Predicate<SemanticVersion>> conditions = new ArrayList<>();
    for (String term : text.trim().split("\\s+")) {
      conditions.add(condition(term, text));
    }
    return new VersionRange(text, conditions);
  }

  private static Predicate<SemanticVersion> condition(String term, String range) {
    try {
      if (term.equals("*")) {
        return version -> true;
      }
      if (term.startsWith("^")) {
        SemanticVersion low = SemanticVersion.parse(term.substring(1));
        SemanticVersion high =
            low.major() > 0
                ? new SemanticVersion(low.major() + 1, 0, 0, "")
                : new SemanticVersion(0, low.minor() + 1, 0, "");
        return version -> version.compareTo(low) >= 0 && version.compareTo(high) < 0;
      }
      if (term.startsWith("~")) {
        SemanticVersion low = SemanticVersion.parse(term.substring(1));
        SemanticVersion high = new SemanticVersion(low.major(), low.minor() + 1, 0, "");
        return version -> version.compareTo(low) >= 0 && version.compareTo(high) < 0;
      }
      for (String operator : List.of(">=", "<=", ">", "<", "=")) {
        if (term.startsWith(operator)) {
          SemanticVersion bound = SemanticVersion.parse(term.substring(operator.length()));
          return switch (operator) {
            case ">=" -> version -> version.compareTo(bound) >= 0;
            case "<=" -> version -> version.compareTo(bound) <= 0;
            case ">" -> version -> version.compareTo(bound) > 0;
            case "<" -> version -> version.compareTo(bound) < 0;
            default -> version -> version.compareTo(bound) == 0;
          };
        }
      }
      SemanticVersion exact = SemanticVersion.parse(term);
      return version -> version.compareTo(exact) == 0;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed version range '" + range + "'", e);
    }
  }

  boolean contains(SemanticVersion version) {
    for (Predicate<SemanticVersion> condition : conditions) {
      if (!condition.test(version)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
