package dev.lintel.samples.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.samples.orders.domain.OrderEvent.OrderPlaced;
import java.time.Instant;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTest {
  private static final OrderId ID = new OrderId("o-1");
  private static final CustomerId ADA = new CustomerId("ada");
  private static final Currency EUR = Money.currency("EUR");
  private static final OrderLine KEYBOARD = new OrderLine("kbd", 2, Money.of("49.90", "EUR"));

  private static Order placedWithKeyboard() {
    return Order.NONE.apply(Order.NONE.place(ID, ADA, EUR, Instant.EPOCH, List.of(KEYBOARD)));
  }

  @Test
  void placingRecordsTheFirstLinesInTheSameEvent() {
    OrderPlaced placed = Order.NONE.place(ID, ADA, EUR, Instant.EPOCH, List.of(KEYBOARD));

    assertThat(placed).isEqualTo(new OrderPlaced(ID, ADA, EUR, List.of(KEYBOARD), Instant.EPOCH));
    Order order = Order.NONE.apply(placed);
    assertThat(order.status()).isEqualTo(OrderStatus.PLACED);
    assertThat(order.total()).isEqualTo(Money.of("99.80", "EUR"));
  }

  @Test
  void decisionsChangeNothingUntilTheirEventIsApplied() {
    Order order = placedWithKeyboard();

    order.addLine(new OrderLine("mouse", 1, Money.of("20", "EUR")));

    assertThat(order.lines()).containsExactly(KEYBOARD);
  }

  @Test
  void aLinePricedInAnotherCurrencyIsRefused() {
    Order order = placedWithKeyboard();

    assertThatThrownBy(() -> order.addLine(new OrderLine("mouse", 1, Money.of("20", "USD"))))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("cannot combine EUR with USD amounts");
  }

  @Test
  void theFirstLinesFollowTheSameRulesAsLaterOnes() {
    OrderLine inDollars = new OrderLine("mouse", 1, Money.of("20", "USD"));

    assertThatThrownBy(() -> Order.NONE.place(ID, ADA, EUR, Instant.EPOCH, List.of(inDollars)))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("cannot combine EUR with USD amounts");
    assertThatThrownBy(
            () ->
                Order.NONE.place(
                    ID,
                    ADA,
                    EUR,
                    Instant.EPOCH,
                    Collections.nCopies(Order.MAX_LINES + 1, KEYBOARD)))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("an order has at most 50 lines");
  }

  @Test
  void anOrderHasAtMostFiftyLines() {
    Order order = placedWithKeyboard();
    for (int i = 1; i < Order.MAX_LINES; i++) {
      order = order.apply(order.addLine(KEYBOARD));
    }
    Order full = order;

    assertThat(full.lines()).hasSize(Order.MAX_LINES);
    assertThatThrownBy(() -> full.addLine(KEYBOARD))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("order o-1 already has 50 lines");
  }

  @Test
  void paymentMustBeExactlyTheTotal() {
    Order order = placedWithKeyboard();

    assertThatThrownBy(() -> order.pay(Money.of("99.79", "EUR")))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("order o-1 costs 99.80 EUR, not 99.79 EUR");
    assertThat(order.apply(order.pay(Money.of("99.80", "EUR"))).status())
        .isEqualTo(OrderStatus.PAID);
  }

  @Test
  void anOrderWithoutLinesCannotBePaid() {
    Order empty = Order.NONE.apply(Order.NONE.place(ID, ADA, EUR, Instant.EPOCH, List.of()));

    assertThatThrownBy(() -> empty.pay(Money.of("0", "EUR")))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("order o-1 has no lines to pay for");
  }

  @Test
  void onlyAPaidOrderShipsAndAShippedOneCannotBeCancelled() {
    Order placed = placedWithKeyboard();
    assertThatThrownBy(() -> placed.ship(false))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("cannot ship order o-1: it is PLACED, not PAID");

    Order paid = placed.apply(placed.pay(placed.total()));
    Order shipped = paid.apply(paid.ship(true));

    assertThat(shipped.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThatThrownBy(() -> shipped.cancel("too late"))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("cannot cancel order o-1: it is SHIPPED");
    assertThatThrownBy(() -> shipped.addLine(KEYBOARD)).isInstanceOf(DomainRuleViolation.class);
  }

  @Test
  void aPaidOrderCanBeCancelledOnce() {
    Order placed = placedWithKeyboard();
    Order paid = placed.apply(placed.pay(placed.total()));
    Order cancelled = paid.apply(paid.cancel(" "));

    assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(paid.cancel(" ").reason()).isEqualTo("no reason given");
    assertThatThrownBy(() -> cancelled.cancel("again")).isInstanceOf(DomainRuleViolation.class);
  }

  @Test
  void nothingButPlacingWorksOnAnOrderThatWasNotPlaced() {
    assertThatThrownBy(() -> Order.NONE.addLine(KEYBOARD))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("cannot add a line to an order that was not placed");
    assertThatThrownBy(() -> Order.NONE.cancel("x")).isInstanceOf(DomainRuleViolation.class);
    assertThatThrownBy(() -> placedWithKeyboard().place(ID, ADA, EUR, Instant.EPOCH, List.of()))
        .isInstanceOf(DomainRuleViolation.class)
        .hasMessage("order o-1 already exists");
  }
}
