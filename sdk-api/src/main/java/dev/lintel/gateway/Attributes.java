package dev.lintel.gateway;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A request's attributes: an immutable, insertion-ordered array of keys and values. Requests hold a
 * handful at most, so a linear scan beats hashing and a copy per change is cheap.
 */
final class Attributes {
  static final Attributes EMPTY = new Attributes(new Object[0]);

  /** Keys at even indexes, each followed by its value. */
  private final Object[] keysAndValues;

  private Attributes(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  @Nullable Object get(AttributeKey<?> key) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (key.equals(keysAndValues[i])) {
        return keysAndValues[i + 1];
      }
    }
    return null;
  }

  /** These attributes with a key set to a value, replacing an earlier value of an equal key. */
  Attributes with(AttributeKey<?> key, Object value) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (key.equals(keysAndValues[i])) {
        Object[] changed = keysAndValues.clone();
        changed[i] = key;
        changed[i + 1] = value;
        return new Attributes(changed);
      }
    }
    Object[] more = Arrays.copyOf(keysAndValues, keysAndValues.length + 2);
    more[keysAndValues.length] = key;
    more[keysAndValues.length + 1] = value;
    return new Attributes(more);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof Attributes that) || that.keysAndValues.length != keysAndValues.length) {
      return false;
    }
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!keysAndValues[i + 1].equals(that.get((AttributeKey<?>) keysAndValues[i]))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < keysAndValues.length; i += 2) {
      hash += keysAndValues[i].hashCode() ^ keysAndValues[i + 1].hashCode(); // order-independent
    }
    return hash;
  }

  /** The attributes' names, never their values (which may be secrets such as token claims). */
  @Override
  public String toString() {
    StringBuilder names = new StringBuilder("[");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      names.append(i == 0 ? "" : ", ").append(((AttributeKey<?>) keysAndValues[i]).name());
    }
    return names.append(']').toString();
  }
}
