package dev.lintel.gateway;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Names a request attribute and the type of its value: what filters learn and pass on with the
 * request, such as the claims of a token or a path parameter. Declare each key once as a constant
 * and read the attribute with {@link Request#attribute(AttributeKey)}, without casts:
 *
 * <pre>{@code
 * static final AttributeKey<Tenant> TENANT = AttributeKey.of("acme.tenant", Tenant.class);
 * ...
 * return next.proceed(request.withAttribute(TENANT, tenant));   // in a filter
 * Tenant tenant = request.attribute(TENANT);                     // further in
 * }</pre>
 *
 * <p>Keys are equal when their names are, so keys made separately with the same name reach the same
 * attribute; prefix names with your own namespace (the SDK uses {@code path.}, {@code jwt.} and
 * {@code request.}). The type is checked when a value is attached and when it is read, so a key of
 * the wrong type fails with a message naming the attribute instead of a bare cast error. Immutable
 * and thread-safe.
 *
 * @param <T> the type of the attribute's value
 */
public final class AttributeKey<T> {
  private final String name;
  private final Class<? super T> type;

  private AttributeKey(String name, Class<? super T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Makes a key. For a generic value type pass its raw class: {@code AttributeKey<Map<String,
   * Object>> CLAIMS = AttributeKey.of("jwt.claims", Map.class)}.
   *
   * @param name the attribute's name: not empty, no whitespace or control characters
   * @param type the class of its values; not a primitive type
   * @param <T> the type of the attribute's value
   * @return the key
   * @throws IllegalArgumentException if the name is empty or holds whitespace or a control
   *     character, or the type is primitive
   */
  public static <T> AttributeKey<T> of(String name, Class<? super T> type) {
    Objects.requireNonNull(name, "attribute key name");
    Objects.requireNonNull(type, () -> "type of attribute key '" + name + "'");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("attribute key name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "attribute key name '"
                + name.replaceAll("\\p{Cntrl}", "?")
                + "' holds whitespace or a control character at index "
                + i);
      }
    }
    if (type.isPrimitive()) {
      throw new IllegalArgumentException(
          "attribute key '" + name + "' needs a reference type but was " + type);
    }
    return new AttributeKey<>(name, type);
  }

  /**
   * Tells the attribute's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Tells the class the attribute's values have.
   *
   * @return the class
   */
  public Class<? super T> type() {
    return type;
  }

  /**
   * Checks that a value may be attached under this key.
   *
   * @throws IllegalArgumentException if it is not of the key's type
   */
  void requireValue(Object value) {
    Objects.requireNonNull(value, () -> "value of attribute '" + name + "'");
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "attribute '"
              + name
              + "' takes "
              + type.getName()
              + " values but was given a "
              + value.getClass().getName());
    }
  }

  /**
   * Types a stored value.
   *
   * @throws ClassCastException if the value was attached under an equal key of another type
   */
  @Nullable T cast(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new ClassCastException(
          "attribute '"
              + name
              + "' holds a "
              + value.getClass().getName()
              + ", not a "
              + type.getName());
    }
    @SuppressWarnings("unchecked") // the value is an instance of T's class, checked above
    T typed = (T) value;
    return typed;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AttributeKey<?> key && name.equals(key.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "AttributeKey(" + name + ": " + type.getName() + ")";
  }
}
