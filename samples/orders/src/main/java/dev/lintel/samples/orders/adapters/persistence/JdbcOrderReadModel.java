package dev.lintel.samples.orders.adapters.persistence;

import dev.lintel.samples.orders.application.OrderReadModel;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Reads the tables {@link OrderViewProjection} keeps. */
final class JdbcOrderReadModel implements OrderReadModel {
  private static final String COLUMNS =
      "v.order_id, v.customer_id, v.status, v.currency, v.total_minor, v.line_count, v.express,"
          + " v.placed_at";

  private final DataSource dataSource;

  JdbcOrderReadModel(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<OrderView> find(OrderId id) {
    List<OrderView> found =
        select(
            "SELECT " + COLUMNS + " FROM order_view v WHERE v.order_id = ? LIMIT ?", id.value(), 1);
    return found.stream().findFirst();
  }

  @Override
  public List<OrderView> ofCustomer(CustomerId customer, int limit) {
    return select(
        "SELECT "
            + COLUMNS
            + " FROM customer_orders c JOIN order_view v ON v.order_id = c.order_id"
            + " WHERE c.customer_id = ? ORDER BY c.placed_at DESC, c.order_id LIMIT ?",
        customer.value(),
        limit);
  }

  @Override
  public List<OrderView> recent(int limit) {
    return select(
        "SELECT " + COLUMNS + " FROM order_view v ORDER BY v.placed_at DESC, v.order_id LIMIT ?",
        null,
        limit);
  }

  private List<OrderView> select(String sql, @Nullable String key, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      int parameter = 1;
      if (key != null) {
        statement.setString(parameter++, key);
      }
      statement.setInt(parameter, limit); // every query ends with LIMIT ?
      List<OrderView> views = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          views.add(view(rows));
        }
      }
      return views;
    } catch (SQLException e) {
      throw new ReadModelException("reading the order read model failed", e);
    }
  }

  private static OrderView view(ResultSet row) throws SQLException {
    return new OrderView(
        row.getString(1),
        row.getString(2),
        OrderStatus.valueOf(row.getString(3)),
        new Money(row.getLong(5), Money.currency(row.getString(4))),
        row.getInt(6),
        row.getBoolean(7),
        row.getObject(8, OffsetDateTime.class).toInstant());
  }
}
