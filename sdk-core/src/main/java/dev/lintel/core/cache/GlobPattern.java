package dev.lintel.core.cache;

/**
 * Matches strings against a glob pattern the way Redis {@code SCAN MATCH} does: {@code *} any run,
 * {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [^a]} classes, {@code \} escapes
 * the next character. Used to evict the local entries that a pattern invalidation removes from
 * Redis, so both levels agree on what matched.
 */
final class GlobPattern {
  private final String pattern;

  private GlobPattern(String pattern) {
    this.pattern = pattern;
  }

  static GlobPattern compile(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("glob pattern must not be empty");
    }
    return new GlobPattern(pattern);
  }

  boolean matches(String text) {
    return match(0, text, 0);
  }

  private boolean match(int p, String text, int t) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      switch (c) {
        case '*' -> {
          while (p + 1 < pattern.length() && pattern.charAt(p + 1) == '*') {
            p++;
          }
          if (p + 1 == pattern.length()) {
            return true;
          }
          for (int i = t; i <= text.length(); i++) {
            if (match(p + 1, text, i)) {
              return true;
            }
          }
          return false;
        }
        case '?' -> {
          if (t >= text.length()) {
            return false;
          }
          p++;
          t++;
        }
        case '[' -> {
          if (t >= text.length()) {
            return false;
          }
          int end = classEnd(p);
          if (end < 0) { // an unclosed '[' is a literal, as in Redis
            if (text.charAt(t) != '[') {
              return false;
            }
            p++;
            t++;
          } else {
            if (!classMatches(p + 1, end, text.charAt(t))) {
              return false;
            }
            p = end + 1;
            t++;
          }
        }
        case '\\' -> {
          char literal = p + 1 < pattern.length() ? pattern.charAt(++p) : '\\';
          if (t >= text.length() || text.charAt(t) != literal) {
            return false;
          }
          p++;
          t++;
        }
        default -> {
          if (t >= text.length() || text.charAt(t) != c) {
            return false;
          }
          p++;
          t++;
        }
      }
    }
    return t == text.length();
  }

  private int classEnd(int open) {
    for (int i = open + 1; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ']') {
        return i;
      }
    }
    return -1;
  }

  private boolean classMatches(int from, int end, char c) {
    boolean negate = from < end && pattern.charAt(from) == '^';
    int i = negate ? from + 1 : from;
    boolean found = false;
    while (i < end) {
      char first = pattern.charAt(i);
      if (first == '\\' && i + 1 < end) {
        first = pattern.charAt(++i);
      }
      if (i + 2 < end && pattern.charAt(i + 1) == '-') {
        char last = pattern.charAt(i + 2);
        char low = (char) Math.min(first, last);
        char high = (char) Math.max(first, last);
        found |= c >= low && c <= high;
        i += 3;
      } else {
        found |= c == first;
        i++;
      }
    }
    return found != negate;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
