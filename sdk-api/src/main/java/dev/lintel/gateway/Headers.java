package dev.lintel.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The header fields of a {@link Request} or a {@link Response}: an immutable list of name/value
 * fields in the order they were given. Names are matched case-insensitively and a name may occur
 * several times (one field per value), as in HTTP. Every field is validated when it is made (see
 * {@link Field}), so a {@code Headers} never holds a name or value that could split a header line
 * or a log line. The {@code with...} methods return changed copies.
 *
 * <p>Immutable and thread-safe. Two {@code Headers} are equal when they hold the same fields in the
 * same order, names compared case-insensitively. {@link #toString()} shows the names only, since
 * values often carry credentials.
 *
 * @param fields the fields, in order
 */
public record Headers(List<Field> fields) {
  private static final Headers EMPTY = new Headers(List.of());

  /**
   * Copies the fields.
   *
   * @throws NullPointerException if the list or one of its fields is null
   */
  public Headers {
    fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
  }

  /**
   * One header field: a name and one value.
   *
   * <p>The name must be an HTTP token (RFC 9110 §5.1: letters, digits and {@code !#$%&'*+-.^_`|~},
   * at least one), so it holds no space, colon or control character. The value may hold no control
   * character other than a horizontal tab (no CR, LF, NUL or DEL). Equal to another field with the
   * same value and the same name in any case. Immutable.
   *
   * @param name the name, any case
   * @param value the value, possibly empty
   */
  public record Field(String name, String value) {

    /**
     * Validates the field.
     *
     * @throws IllegalArgumentException if the name is not an HTTP token, or the value holds a
     *     control character; the message names the header and the offending position
     * @throws NullPointerException if the name or value is null
     */
    public Field {
      requireToken(Objects.requireNonNull(name, "header name"));
      requireNoControlCharacters(name, Objects.requireNonNull(value, "header value"));
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Field field
          && name.equalsIgnoreCase(field.name)
          && value.equals(field.value);
    }

    @Override
    public int hashCode() {
      return 31 * name.toLowerCase(Locale.ROOT).hashCode() + value.hashCode();
    }

    @Override
    public String toString() {
      return name; // values often carry credentials
    }

    private static void requireToken(String name) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("header name must not be empty");
      }
      for (int i = 0; i < name.length(); i++) {
        if (!isTokenChar(name.charAt(i))) {
          throw new IllegalArgumentException(
              "header name '"
                  + printable(name)
                  + "' is not an HTTP token: character "
                  + describe(name.charAt(i))
                  + " at index "
                  + i);
        }
      }
    }

    private static void requireNoControlCharacters(String name, String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c != '\t' && Character.isISOControl(c)) {
          throw new IllegalArgumentException(
              "value of header '"
                  + name
                  + "' holds a control character ("
                  + describe(c)
                  + ") at index "
                  + i);
        }
      }
    }

    private static String describe(char c) {
      return Character.isISOControl(c) || Character.isWhitespace(c)
          ? String.format(Locale.ROOT, "U+%04X", (int) c)
          : "'" + c + "'";
    }

    private static String printable(String text) {
      StringBuilder clean = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        clean.append(Character.isISOControl(c) ? '?' : c);
      }
      return clean.toString();
    }
  }

  /** Whether a character may appear in an HTTP token (RFC 9110 §5.6.2). */
  static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /**
   * Returns headers without any field.
   *
   * @return the empty headers, a shared instance
   */
  public static Headers of() {
    return EMPTY;
  }

  /**
   * Makes headers from names and values, in order: {@code Headers.of("Accept", "text/csv",
   * "Accept", "text/plain")} holds two {@code Accept} fields.
   *
   * @param namesAndValues a name, its value, the next name, its value, ...
   * @return the headers
   * @throws IllegalArgumentException if the count is odd, or a field is invalid (see {@link Field})
   * @throws NullPointerException if a name or value is null
   */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "headers need a value for every name but got "
              + namesAndValues.length
              + " names and values");
    }
    Field[] fields = new Field[namesAndValues.length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = new Field(namesAndValues[2 * i], namesAndValues[2 * i + 1]);
    }
    return new Headers(List.of(fields));
  }

  /**
   * Makes headers from a map of names to values, as HTTP servers hand them out (the JDK's {@code
   * com.sun.net.httpserver.Headers}, for example): one field per value, names in the map's
   * iteration order.
   *
   * @param headers the values by name
   * @return the headers
   * @throws IllegalArgumentException if a field is invalid (see {@link Field})
   * @throws NullPointerException if a name, a value list or a value is null
   */
  public static Headers of(Map<String, ? extends Collection<String>> headers) {
    List<Field> fields = new ArrayList<>();
    headers.forEach(
        (name, values) -> {
          Objects.requireNonNull(values, () -> "values of header '" + name + "'");
          for (String value : values) {
            fields.add(new Field(name, value));
          }
        });
    return fields.isEmpty() ? EMPTY : new Headers(fields);
  }

  /**
   * Reads the first value of a header.
   *
   * @param name the header's name, any case
   * @return its first value, or null if there is no such header
   */
  public @Nullable String first(String name) {
    Objects.requireNonNull(name, "name");
    for (Field field : fields) {
      if (field.name().equalsIgnoreCase(name)) {
        return field.value();
      }
    }
    return null;
  }

  /**
   * Reads every value of a header.
   *
   * @param name the header's name, any case
   * @return its values in order, empty if there is no such header; unmodifiable
   */
  public List<String> values(String name) {
    Objects.requireNonNull(name, "name");
    List<String> values = new ArrayList<>(2);
    for (Field field : fields) {
      if (field.name().equalsIgnoreCase(name)) {
        values.add(field.value());
      }
    }
    return List.copyOf(values);
  }

  /**
   * Tells whether a header is present.
   *
   * @param name the header's name, any case
   * @return whether at least one field has that name
   */
  public boolean contains(String name) {
    return first(name) != null;
  }

  /**
   * These headers with one header set to one value: its fields are replaced by one field where the
   * first of them was, or the field is added at the end if there was none.
   *
   * @param name the header's name
   * @param value its value
   * @return the changed copy
   * @throws IllegalArgumentException if the field is invalid (see {@link Field})
   */
  public Headers with(String name, String value) {
    Field replacement = new Field(name, value);
    List<Field> changed = new ArrayList<>(fields.size() + 1);
    boolean placed = false;
    for (Field field : fields) {
      if (!field.name().equalsIgnoreCase(name)) {
        changed.add(field);
      } else if (!placed) {
        changed.add(replacement);
        placed = true;
      }
    }
    if (!placed) {
      changed.add(replacement);
    }
    return new Headers(changed);
  }

  /**
   * These headers with one more field at the end, keeping the header's other values (for example a
   * second {@code Set-Cookie}).
   *
   * @param name the header's name
   * @param value the added value
   * @return the changed copy
   * @throws IllegalArgumentException if the field is invalid (see {@link Field})
   */
  public Headers withAdded(String name, String value) {
    List<Field> changed = new ArrayList<>(fields.size() + 1);
    changed.addAll(fields);
    changed.add(new Field(name, value));
    return new Headers(changed);
  }

  /**
   * These headers without a header.
   *
   * @param name the header's name, any case
   * @return the changed copy, or these headers if there was no such header
   */
  public Headers without(String name) {
    Objects.requireNonNull(name, "name");
    if (!contains(name)) {
      return this;
    }
    List<Field> changed = new ArrayList<>(fields.size());
    for (Field field : fields) {
      if (!field.name().equalsIgnoreCase(name)) {
        changed.add(field);
      }
    }
    return new Headers(changed);
  }

  @Override
  public String toString() {
    return "Headers" + fields;
  }
}
