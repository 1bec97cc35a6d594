package dev.lintel.flags;

/**
 * Evaluates flags. Evaluation never throws: an unknown flag, a broken definition or a store that
 * fails yields the caller's fallback, and the problem is logged. Thread-safe; evaluating a flag
 * that is cached locally does not block and allocates nothing.
 */
public interface FeatureFlags {

  /**
   * Tells whether a flag is on for a user.
   *
   * @param flag the flag's name
   * @param context who asks
   * @param fallback the answer when the flag is unknown or cannot be evaluated
   * @return whether it is on
   */
  boolean isEnabled(String flag, FlagContext context, boolean fallback);

  /**
   * Picks the user's variant of a flag.
   *
   * @param flag the flag's name
   * @param context who asks; variants stick to the user id
   * @param fallback the answer when the flag is unknown, off for the user, has no variants, the
   *     context has no user, or it cannot be evaluated
   * @return the variant's name
   */
  String variant(String flag, FlagContext context, String fallback);
}
