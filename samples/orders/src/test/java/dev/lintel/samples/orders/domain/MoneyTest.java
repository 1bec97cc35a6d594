package dev.lintel.samples.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void decimalAmountsAreHeldInTheCurrencysMinorUnit() {
    assertThat(Money.of("12.5", "EUR").minorUnits()).isEqualTo(1250);
    assertThat(Money.of("1500", "JPY").minorUnits()).isEqualTo(1500);
    assertThat(Money.of("1.234", "BHD").minorUnits()).isEqualTo(1234); // three decimals
    assertThat(Money.of("12.50", "EUR").decimal()).isEqualTo("12.50");
  }

  @Test
  void moreDecimalsThanTheCurrencyHasAreRefused() {
    assertThatThrownBy(() -> Money.of("1.5", "JPY"))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("JPY amounts have at most 0 decimals but got 1.5");
    assertThatThrownBy(() -> Money.of("0.001", "EUR")).isInstanceOf(DomainRuleViolation.class);
  }

  @Test
  void amountsOfDifferentCurrenciesAreNeverCombined() {
    assertThatThrownBy(() -> Money.of("1", "EUR").plus(Money.of("1", "USD")))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("cannot combine EUR with USD amounts");
  }

  @Test
  void arithmeticIsExact() {
    assertThat(Money.of("0.10", "EUR").times(3).plus(Money.of("0.20", "EUR")))
        .isEqualTo(Money.of("0.50", "EUR"));
    assertThatThrownBy(() -> new Money(Long.MAX_VALUE, Money.currency("EUR")).times(2))
        .isInstanceOf(DomainRuleViolation.class);
  }

  @Test
  void negativeAmountsUnknownCurrenciesAndNonNumbersAreRefused() {
    assertThatThrownBy(() -> Money.of("-1", "EUR")).isInstanceOf(DomainRuleViolation.class);
    assertThatThrownBy(() -> Money.of("1", "XYZ"))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("unknown currency 'XYZ'");
    assertThatThrownBy(() -> Money.of("ten", "EUR"))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("'ten' is not an amount");
  }
}
