package dev.lintel.samples.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmailTest {

  @Test
  void oneMailboxIsOneValueWhateverTheCaseAndSpaces() {
    assertThat(new Email("  Ada@Example.ORG ")).isEqualTo(new Email("ada@example.org"));
    assertThat(new Email("Ada@Example.ORG").value()).isEqualTo("ada@example.org");
  }

  @Test
  void thingsThatAreNotAddressesAreRefused() {
    for (String bad : new String[] {"ada", "ada@", "@example.org", "a b@example.org", "a@b"}) {
      assertThatThrownBy(() -> new Email(bad)).as(bad).isInstanceOf(DomainRuleViolation.class);
    }
    assertThatThrownBy(() -> new Email("a".repeat(250) + "@x.org"))
        .isInstanceOf(DomainRuleViolation.class);
  }
}
