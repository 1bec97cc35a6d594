package dev.lintel.samples.orders.domain;

/** Where an order is in its life. */
public enum OrderStatus {
  /** Not placed yet: the state of an order before its first event. */
  NEW,
  /** Placed: lines can be added; it can be paid or cancelled. */
  PLACED,
  /** Paid in full: it can be shipped or cancelled (and refunded). */
  PAID,
  /** Shipped: final. */
  SHIPPED,
  /** Cancelled: final. */
  CANCELLED
}
