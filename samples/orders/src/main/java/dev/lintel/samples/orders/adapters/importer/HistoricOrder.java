package dev.lintel.samples.orders.adapters.importer;

import dev.lintel.samples.orders.application.Commands.ImportOrder;
import dev.lintel.samples.orders.domain.DomainRuleViolation;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import dev.lintel.samples.orders.domain.OrderStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One line of the old system's export, as it is written: plain text and numbers, checked only when
 * it becomes a command.
 *
 * <pre>{"id":"h-00001","customerName":"Ada","customerEmail":"ada@example.org","currency":"EUR",
 * "placedAt":"2024-03-01T10:15:30Z","status":"SHIPPED",
 * "lines":[{"sku":"kbd","quantity":1,"unitPrice":"49.90"}]}</pre>
 *
 * @param id the order's id
 * @param customerName the customer's name
 * @param customerEmail the customer's e-mail address
 * @param currency the ISO 4217 currency code
 * @param placedAt when it was placed, ISO-8601
 * @param status PLACED, PAID, SHIPPED or CANCELLED
 * @param lines the lines
 */
public record HistoricOrder(
    @Nullable String id,
    @Nullable String customerName,
    @Nullable String customerEmail,
    @Nullable String currency,
    @Nullable String placedAt,
    @Nullable String status,
    @Nullable List<Line> lines) {
  private static final Set<String> STATUSES = Set.of("PLACED", "PAID", "SHIPPED", "CANCELLED");

  /**
   * One line of a historic order.
   *
   * @param sku the product
   * @param quantity how many
   * @param unitPrice the price of one, a decimal
   */
  public record Line(@Nullable String sku, int quantity, @Nullable String unitPrice) {}

  /**
   * Checks the line and makes the command that imports it.
   *
   * @return the command
   * @throws DomainRuleViolation naming what is wrong: a missing field, a malformed id, address,
   *     amount or date, an unknown currency or status, a line breaking a rule
   */
  ImportOrder toCommand() {
    String currencyCode = required(currency, "currency");
    List<OrderLine> orderLines = new ArrayList<>();
    for (Line line : lines == null ? List.<Line>of() : lines) {
      orderLines.add(
          new OrderLine(
              required(line.sku(), "sku"),
              line.quantity(),
              Money.of(required(line.unitPrice(), "unitPrice"), currencyCode)));
    }
    String state = required(status, "status");
    if (!STATUSES.contains(state)) {
      throw new DomainRuleViolation("unknown status '" + state + "'");
    }
    return new ImportOrder(
        new OrderId(required(id, "id")),
        required(customerName, "customerName"),
        new Email(required(customerEmail, "customerEmail")),
        Money.currency(currencyCode),
        orderLines,
        OrderStatus.valueOf(state),
        instant(required(placedAt, "placedAt")));
  }

  private static String required(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new DomainRuleViolation("'" + field + "' is missing");
    }
    return value;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new DomainRuleViolation("'" + text + "' is not an ISO-8601 instant");
    }
  }
}
