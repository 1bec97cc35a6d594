package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderStatus;
import java.time.Instant;

/**
 * An order as the read side shows it.
 *
 * @param orderId the order's id
 * @param customerId who placed it
 * @param status where it is
 * @param total its total
 * @param lines how many lines it has
 * @param express whether it shipped by express
 * @param placedAt when it was placed
 */
public record OrderView(
    String orderId,
    String customerId,
    OrderStatus status,
    Money total,
    int lines,
    boolean express,
    Instant placedAt) {}
