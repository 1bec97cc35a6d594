package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.eventsourcing.RecordedEvent;
import dev.lintel.jdbc.eventsourcing.JdbcProjection;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderEvent;
import dev.lintel.samples.orders.domain.OrderEvent.LineAdded;
import dev.lintel.samples.orders.domain.OrderEvent.OrderCancelled;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPaid;
import dev.lintel.samples.orders.domain.OrderEvent.OrderPlaced;
import dev.lintel.samples.orders.domain.OrderEvent.OrderShipped;
import dev.lintel.samples.orders.domain.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;

/**
 * Keeps {@code order_view} (one row per order) and {@code customer_orders} (a customer's orders by
 * time) from the order events. Run inside {@code TransactionalProjection}, each event's rows commit
 * with the checkpoint, so every event counts exactly once even across crashes; that is why a line
 * may simply add to the total.
 */
final class OrderViewProjection implements JdbcProjection {
  static final String NAME = "order-views";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void handle(RecordedEvent event, Connection connection) throws SQLException {
    if (event.data() instanceof OrderPlaced placed) {
      insertOrder(connection, placed);
    } else if (event.data() instanceof LineAdded added) {
      update(
          connection,
          "UPDATE order_view SET total_minor = total_minor + ?, line_count = line_count + 1"
              + " WHERE order_id = ?",
          added.line().total().minorUnits(),
          added);
    } else if (event.data() instanceof OrderPaid paid) {
      setStatus(connection, paid, OrderStatus.PAID);
    } else if (event.data() instanceof OrderShipped shipped) {
      update(
          connection,
          "UPDATE order_view SET status = 'SHIPPED', express = ? WHERE order_id = ?",
          shipped.express(),
          shipped);
    } else if (event.data() instanceof OrderCancelled cancelled) {
      setStatus(connection, cancelled, OrderStatus.CANCELLED);
    }
  }

  @Override
  public void reset(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate("DELETE FROM customer_orders");
      statement.executeUpdate("DELETE FROM order_view");
    }
  }

  private static void insertOrder(Connection connection, OrderPlaced placed) throws SQLException {
    try (PreparedStatement view =
            connection.prepareStatement(
                "INSERT INTO order_view (order_id, customer_id, status, currency, total_minor,"
                    + " line_count, express, placed_at) VALUES (?, ?, 'PLACED', ?, ?, ?, FALSE, ?)");
        PreparedStatement byCustomer =
            connection.prepareStatement(
                "INSERT INTO customer_orders (customer_id, order_id, placed_at) VALUES (?, ?, ?)")) {
      view.setString(1, placed.orderId().value());
      view.setString(2, placed.customerId().value());
      view.setString(3, placed.currency().getCurrencyCode());
      view.setLong(4, Order.NONE.apply(placed).total().minorUnits());
      view.setInt(5, placed.lines().size());
      view.setObject(6, placed.placedAt().atOffset(ZoneOffset.UTC));
      view.executeUpdate();
      byCustomer.setString(1, placed.customerId().value());
      byCustomer.setString(2, placed.orderId().value());
      byCustomer.setObject(3, placed.placedAt().atOffset(ZoneOffset.UTC));
      byCustomer.executeUpdate();
    }
  }

  private static void setStatus(Connection connection, OrderEvent event, OrderStatus status)
      throws SQLException {
    update(connection, "UPDATE order_view SET status = ? WHERE order_id = ?", status.name(), event);
  }

  private static void update(Connection connection, String sql, Object value, OrderEvent event)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, value);
      statement.setString(2, event.orderId().value());
      if (statement.executeUpdate() != 1) {
        // Events of one order arrive in order, after its OrderPlaced: a missing row is a bug.
        throw new SQLException("order_view has no row for " + event.orderId());
      }
    }
  }
}
