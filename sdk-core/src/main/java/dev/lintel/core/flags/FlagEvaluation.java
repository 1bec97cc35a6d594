package dev.lintel.core.flags;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation of a flag with the reason for its answer, as {@link Flags#evaluate} gives it.
 * Immutable.
 *
 * @param flag the flag's name
 * @param enabled whether the flag is on for the context; false for an unknown flag or an error
 * @param variant the variant picked for the context, or null when the flag is off for it, has no
 *     variants or the context has no user
 * @param hasVariants whether the flag defines variants at all
 * @param reason why the answer is what it is
 * @param error the failure behind {@link Reason#ERROR}, otherwise null
 */
public record FlagEvaluation(
    String flag,
    boolean enabled,
    @Nullable String variant,
    boolean hasVariants,
    Reason reason,
    @Nullable RuntimeException error) {

  /** Why a flag answered as it did. */
  public enum Reason {
    /** The store holds no such flag; callers answer with their fallback. */
    UNKNOWN,
    /** The flag is switched off for everyone. */
    DISABLED,
    /** The user is on the flag's allow or deny list. */
    TARGETING_MATCH,
    /** The user's stable rollout bucket decided (a percentage between 0 and 100 exclusive). */
    SPLIT,
    /** The answer is the same for every user: 100% or 0% rollout, or no user in the context. */
    STATIC,
    /** The flag could not be evaluated, for example because the store failed. */
    ERROR
  }

  /**
   * Checks the parts.
   *
   * @throws NullPointerException if the flag or reason is null
   */
  public FlagEvaluation {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(reason, "reason");
  }

  static FlagEvaluation unknown(String flag) {
    return new FlagEvaluation(flag, false, null, false, Reason.UNKNOWN, null);
  }

  static FlagEvaluation error(String flag, RuntimeException error) {
    return new FlagEvaluation(flag, false, null, false, Reason.ERROR, error);
  }
}
