package dev.lintel.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobPatternTest {

  private static boolean matches(String pattern, String text) {
    return GlobPattern.compile(pattern).matches(text);
  }

  @Test
  void starMatchesAnyRunIncludingNone() {
    assertThat(matches("user:*", "user:")).isTrue();
    assertThat(matches("user:*", "user:42")).isTrue();
    assertThat(matches("*:42", "order:42")).isTrue();
    assertThat(matches("a*b*c", "aXXbYc")).isTrue();
    assertThat(matches("a*b*c", "aXXbY")).isFalse();
    assertThat(matches("user:*", "users:1")).isFalse();
  }

  @Test
  void questionMarkMatchesExactlyOne() {
    assertThat(matches("h?llo", "hello")).isTrue();
    assertThat(matches("h?llo", "hllo")).isFalse();
  }

  @Test
  void classesRangesAndNegation() {
    assertThat(matches("h[ae]llo", "hallo")).isTrue();
    assertThat(matches("h[ae]llo", "hillo")).isFalse();
    assertThat(matches("k[0-9]", "k7")).isTrue();
    assertThat(matches("k[0-9]", "kx")).isFalse();
    assertThat(matches("k[^0-9]", "kx")).isTrue();
    assertThat(matches("k[^0-9]", "k3")).isFalse();
  }

  @Test
  void backslashEscapesSpecialCharacters() {
    assertThat(matches("a\\*b", "a*b")).isTrue();
    assertThat(matches("a\\*b", "aXb")).isFalse();
    assertThat(matches("what\\?", "what?")).isTrue();
  }

  @Test
  void anUnclosedBracketIsALiteral() {
    assertThat(matches("a[b", "a[b")).isTrue();
  }

  @Test
  void anEmptyPatternIsRejected() {
    assertThatThrownBy(() -> GlobPattern.compile("")).isInstanceOf(IllegalArgumentException.class);
  }
}
