package dev.lintel.flags;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A flag's definition. Evaluation for a context, in this order: a flag that is off is off for
 * everyone; a denied user is off; an allowed user is on; otherwise the context is on when its
 * rollout bucket (1..100, stable per group id and stickiness value, compatible with Unleash's
 * flexible rollout) is at most {@code rolloutPercent}. A context that is on gets one of the
 * variants, chosen by weight and stable for the same stickiness value. Immutable.
 *
 * <p>Build one with {@link #onForEveryone}, {@link #offForEveryone} or {@link #rollout}, then the
 * {@code with...} methods. The rollout buckets belong to the {@code groupId}, the flag's name
 * unless set: renaming a flag keeps its cohort when the group id stays, and two flags with the same
 * group id and percentage are on for the same users. The {@code stickiness} says which value of the
 * context is hashed: {@link #USER_ID} (the default), {@link #SESSION_ID}, or the name of a context
 * property; a context without that value is not in the rollout.
 *
 * @param name the flag's name: letters, digits, {@code . _ -}, at most 200 characters
 * @param enabled the global switch
 * @param rolloutPercent the share of contexts it is on for, 0 to 100
 * @param allowedUsers users it is always on for (unless globally off)
 * @param deniedUsers users it is always off for; they win over allowed ones
 * @param variants the variants and their weights; may be empty
 * @param groupId what the rollout buckets belong to; the flag's name when null is given (as in
 *     definitions stored by the first release)
 * @param stickiness which context value is hashed; {@link #USER_ID} when null is given
 */
public record Flag(
    String name,
    boolean enabled,
    int rolloutPercent,
    Set<String> allowedUsers,
    Set<String> deniedUsers,
    List<Variant> variants,
    String groupId,
    String stickiness) {
  /** Stickiness on the context's user id, the default. */
  public static final String USER_ID = "userId";

  /** Stickiness on the context's session id. */
  public static final String SESSION_ID = "sessionId";

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
    groupId = groupId == null ? name : groupId;
    if (groupId.isBlank() || groupId.length() > 200) {
      throw new IllegalArgumentException(
          "group id of flag '" + name + "' must be 1-200 characters but was '" + groupId + "'");
    }
    stickiness = stickiness == null ? USER_ID : stickiness;
    if (stickiness.isBlank()) {
      throw new IllegalArgumentException("stickiness of flag '" + name + "' must not be blank");
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
   * The definition of the first release, with the flag's name as group id and stickiness on the
   * user id.
   *
   * @param name the flag's name
   * @param enabled the global switch
   * @param rolloutPercent the share of users it is on for
   * @param allowedUsers users it is always on for
   * @param deniedUsers users it is always off for
   * @param variants the variants
   * @throws IllegalArgumentException naming the flag if a part is invalid
   */
  public Flag(
      String name,
      boolean enabled,
      int rolloutPercent,
      Set<String> allowedUsers,
      Set<String> deniedUsers,
      List<Variant> variants) {
    this(name, enabled, rolloutPercent, allowedUsers, deniedUsers, variants, name, USER_ID);
  }

  /**
   * A flag that is on for everyone: switched on, 100% rollout.
   *
   * @param name the flag's name
   * @return the flag
   */
  public static Flag onForEveryone(String name) {
    return new Flag(name, true, 100, Set.of(), Set.of(), List.of());
  }

  /**
   * A flag that is off for everyone: switched off. Lists and a rollout added later take effect only
   * once it is switched on ({@link #switchedOn()}).
   *
   * @param name the flag's name
   * @return the flag
   */
  public static Flag offForEveryone(String name) {
    return new Flag(name, false, 0, Set.of(), Set.of(), List.of());
  }

  /**
   * A flag that is switched on for a share of contexts (and, with lists, for named users).
   *
   * @param name the flag's name
   * @param percent 0 to 100
   * @return the flag
   */
  public static Flag rollout(String name, int percent) {
    return new Flag(name, true, percent, Set.of(), Set.of(), List.of());
  }

  /**
   * This flag with another rollout share; the global switch stays as it is.
   *
   * @param percent 0 to 100
   * @return a copy with that rollout
   */
  public Flag withRollout(int percent) {
    return new Flag(
        name, enabled, percent, allowedUsers, deniedUsers, variants, groupId, stickiness);
  }

  /**
   * This flag, switched on: its lists and rollout decide.
   *
   * @return a copy, switched on
   */
  public Flag switchedOn() {
    return new Flag(
        name, true, rolloutPercent, allowedUsers, deniedUsers, variants, groupId, stickiness);
  }

  /**
   * This flag, switched off for everyone, keeping its lists and rollout for when it is switched on.
   *
   * @return a copy, switched off
   */
  public Flag switchedOff() {
    return new Flag(
        name, false, rolloutPercent, allowedUsers, deniedUsers, variants, groupId, stickiness);
  }

  /**
   * This flag with its rollout buckets in another group: flags of one group id and percentage are
   * on for the same contexts.
   *
   * @param group the group id, 1-200 characters
   * @return a copy with that group id
   */
  public Flag withGroupId(String group) {
    return new Flag(
        name, enabled, rolloutPercent, allowedUsers, deniedUsers, variants, group, stickiness);
  }

  /**
   * This flag, hashing another context value: {@link #USER_ID}, {@link #SESSION_ID} or the name of
   * a context property.
   *
   * @param value what to stick to
   * @return a copy with that stickiness
   */
  public Flag withStickiness(String value) {
    return new Flag(
        name, enabled, rolloutPercent, allowedUsers, deniedUsers, variants, groupId, value);
  }

  /**
   * This flag, always on for these users.
   *
   * @param users the user ids
   * @return a copy with that allow list
   */
  public Flag withAllowedUsers(Set<String> users) {
    return new Flag(
        name, enabled, rolloutPercent, users, deniedUsers, variants, groupId, stickiness);
  }

  /**
   * This flag, always off for these users.
   *
   * @param users the user ids
   * @return a copy with that deny list
   */
  public Flag withDeniedUsers(Set<String> users) {
    return new Flag(
        name, enabled, rolloutPercent, allowedUsers, users, variants, groupId, stickiness);
  }

  /**
   * This flag with variants.
   *
   * @param variants the variants and their weights
   * @return a copy with those variants
   */
  public Flag withVariants(List<Variant> variants) {
    return new Flag(
        name, enabled, rolloutPercent, allowedUsers, deniedUsers, variants, groupId, stickiness);
  }
}
