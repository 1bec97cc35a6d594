package dev.lintel.samples.orders.application;

import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.application.Queries.ListOrders;
import dev.lintel.samples.orders.application.Queries.QuoteShipping;
import dev.lintel.samples.orders.application.ShippingQuotes.ShippingQuote;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.OrderStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The read use cases of orders, answered by the read side. Thread-safe. */
public final class OrderQueries {
  private final OrderReadModel readModel;
  private final ExpressShipping expressShipping;
  private final ShippingQuotes shippingQuotes;

  /**
   * Creates the queries.
   *
   * @param readModel the read side
   * @param expressShipping whether a customer gets express shipping
   * @param shippingQuotes the shipping service
   */
  public OrderQueries(
      OrderReadModel readModel, ExpressShipping expressShipping, ShippingQuotes shippingQuotes) {
    this.readModel = Objects.requireNonNull(readModel, "readModel");
    this.expressShipping = Objects.requireNonNull(expressShipping, "expressShipping");
    this.shippingQuotes = Objects.requireNonNull(shippingQuotes, "shippingQuotes");
  }

  /**
   * Finds an order.
   *
   * @param query the query
   * @return the order, or empty
   */
  public Optional<OrderView> get(GetOrder query) {
    return readModel.find(query.orderId());
  }

  /**
   * Lists orders, newest first.
   *
   * @param query the query
   * @return the orders
   */
  public List<OrderView> list(ListOrders query) {
    CustomerId customer = query.customerId();
    return customer == null
        ? readModel.recent(query.limit())
        : readModel.ofCustomer(customer, query.limit());
  }

  /**
   * Prices shipping an order not shipped yet, express when the customer is offered it.
   *
   * @param query the query
   * @return the quote, empty if the order is unknown or already shipped or cancelled
   * @throws ShippingQuotes.ShippingUnavailableException if the shipping service cannot answer
   */
  public Optional<ShippingQuote> quoteShipping(QuoteShipping query) {
    return readModel
        .find(query.orderId())
        .filter(order -> order.status() == OrderStatus.PLACED || order.status() == OrderStatus.PAID)
        .map(
            order ->
                shippingQuotes.quote(
                    order, expressShipping.offeredTo(new CustomerId(order.customerId()))));
  }
}
