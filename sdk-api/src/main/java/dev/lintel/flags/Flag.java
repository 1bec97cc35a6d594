package dev.lintel.flags;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A flag's definition. Evaluation for a user, in this order: a flag that is off is off for
 * everyone; a denied user is off; an allowed user is on; otherwise the user is on when their
 * rollout bucket (1..100, stable per flag and user, compatible with Unleash's flexible rollout) is
 * at most {@code rolloutPercent}. A user who is on gets one of the variants, chosen by weight and
 * stable. Immutable.
 *
 * @param name the flag's name: letters, digits, {@code . _ -}, at most 200 characters
 * @param enabled the global switch
 * @param rolloutPercent the share of users it is on for, 0 to 100
 * @param allowedUsers users it is always on for (unless globally off)
 * @param deniedUsers users it is always off for; they win over allowed ones
 * @param variants the variants and their weights; may be empty
 */
public record Flag(
    String name,
    boolean enabled,
    int rolloutPercent,
    Set<String> allowedUsers,
    Set<String> deniedUsers,
    List<Variant> variants) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  /**
   * Validates the definition and copies the collections.
   *
   * @throws IllegalArgumentException naming the flag if a part is invalid
   */
  public Flag {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "flag name must be 1-200 letters, digits, '.', '_' or '-' but was '" + name + "'");
    }
    if (rolloutPercent < 0 || rolloutPercent > 100) {
      throw new IllegalArgumentException(
          "rollout of flag '" + name + "' must be within 0..100 but was " + rolloutPercent);
    }
    allowedUsers = Set.copyOf(Objects.requireNonNull(allowedUsers, "allowedUsers"));
    deniedUsers = Set.copyOf(Objects.requireNonNull(deniedUsers, "deniedUsers"));
    variants = List.copyOf(Objects.requireNonNull(variants, "variants"));
    Set<String> names = new HashSet<>();
    long total = 0;
    for (Variant variant : variants) {
      if (!names.add(variant.name())) {
        throw new IllegalArgumentException(
            "flag '" + name + "' has variant '" + variant.name() + "' twice");
      }
      total += variant.weight();
    }
    if (total > 1_000_000) {
      throw new IllegalArgumentException(
          "variant weights of flag '" + name + "' add up to " + total + ", more than 1,000,000");
    }
  }

  /**
   * A flag that is on for everyone.
   *
   * @param name the flag's name
   * @return the flag
   */
  public static Flag on(String name) {
    return new Flag(name, true, 100, Set.of(), Set.of(), List.of());
  }

  /**
   * A flag that is off for everyone.
   *
   * @param name the flag's name
   * @return the flag
   */
  public static Flag off(String name) {
    return new Flag(name, false, 0, Set.of(), Set.of(), List.of());
  }

  /**
   * This flag, on for a share of users.
   *
   * @param percent 0 to 100
   * @return a copy with that rollout, globally on
   */
  public Flag withRollout(int percent) {
    return new Flag(name, true, percent, allowedUsers, deniedUsers, variants);
  }

  /**
   * This flag, always on for these users.
   *
   * @param users the user ids
   * @return a copy with that allow list
   */
  public Flag withAllowedUsers(Set<String> users) {
    return new Flag(name, enabled, rolloutPercent, users, deniedUsers, variants);
  }

  /**
   * This flag, always off for these users.
   *
   * @param users the user ids
   * @return a copy with that deny list
   */
  public Flag withDeniedUsers(Set<String> users) {
    return new Flag(name, enabled, rolloutPercent, allowedUsers, users, variants);
  }

  /**
   * This flag with variants.
   *
   * @param variants the variants and their weights
   * @return a copy with those variants
   */
  public Flag withVariants(List<Variant> variants) {
    return new Flag(name, enabled, rolloutPercent, allowedUsers, deniedUsers, variants);
  }
}
