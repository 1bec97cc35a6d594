package dev.lintel.flags;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a flag is evaluated for. Percentage rollouts and variants stick to the user id: the same user
 * gets the same answer on every node and every call.
 *
 * @param userId the user, or null for an anonymous caller
 */
public record FlagContext(@Nullable String userId) {
  private static final FlagContext ANONYMOUS = new FlagContext(null);

  /**
   * A context for a user.
   *
   * @param userId the user id
   * @return the context
   */
  public static FlagContext user(String userId) {
    return new FlagContext(Objects.requireNonNull(userId, "userId"));
  }

  /**
   * A context without a user: only flags that are on for everyone (100%, no lists) are on.
   *
   * @return the anonymous context
   */
  public static FlagContext anonymous() {
    return ANONYMOUS;
  }
}
