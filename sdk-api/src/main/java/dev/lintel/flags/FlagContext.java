package dev.lintel.flags;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a flag is evaluated for: a user, a session and named properties (a tenant, a region). Allow
 * and deny lists match the user id; rollouts and variants stick to the value the flag's {@link
 * Flag#stickiness()} names, so the same context gets the same answer on every node and every call.
 * Immutable.
 *
 * @param userId the user, or null for an anonymous caller
 * @param sessionId the session, or null
 * @param properties other values a flag may stick to, by name
 */
public record FlagContext(
    @Nullable String userId, @Nullable String sessionId, Map<String, String> properties) {
  private static final FlagContext ANONYMOUS = new FlagContext(null, null, Map.of());

  /**
   * Copies the properties.
   *
   * @throws NullPointerException if the properties, a name or a value is null
   */
  public FlagContext {
    properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
  }

  /**
   * A context with only a user id, as the first release had.
   *
   * @param userId the user, or null for an anonymous caller
   */
  public FlagContext(@Nullable String userId) {
    this(userId, null, Map.of());
  }

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
   * A context without a user: flags that stick to the user id are on only when they are on for
   * everyone (100%, no lists); flags that stick to a session or property still apply.
   *
   * @return the anonymous context
   */
  public static FlagContext anonymous() {
    return ANONYMOUS;
  }

  /**
   * This context with a session id.
   *
   * @param session the session id
   * @return a copy with it
   */
  public FlagContext withSessionId(String session) {
    return new FlagContext(userId, Objects.requireNonNull(session, "session"), properties);
  }

  /**
   * This context with one more property (or another value for it).
   *
   * @param name the property's name
   * @param value its value
   * @return a copy with it
   */
  public FlagContext withProperty(String name, String value) {
    Map<String, String> copy = new HashMap<>(properties);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new FlagContext(userId, sessionId, copy);
  }

  /**
   * Gives the value a flag with this stickiness hashes: the user id for {@link Flag#USER_ID}, the
   * session id for {@link Flag#SESSION_ID}, otherwise the property of that name.
   *
   * @param stickiness the flag's stickiness
   * @return the value, or null when the context has none
   */
  public @Nullable String stickinessValue(String stickiness) {
    if (Flag.USER_ID.equals(stickiness)) {
      return userId;
    }
    if (Flag.SESSION_ID.equals(stickiness)) {
      return sessionId;
    }
    return properties.get(stickiness);
  }
}
