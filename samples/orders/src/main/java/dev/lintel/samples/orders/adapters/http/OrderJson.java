package dev.lintel.samples.orders.adapters.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.Order;
import java.util.List;

/**
 * The two versions of an order's JSON. Version 1 has flat fields (the total as a decimal string and
 * its currency beside it); version 2 nests money as {@code {"amount", "currency"}} and the customer
 * as an object, a change old clients could not read, hence a new version instead of an edit.
 */
final class OrderJson {
  private OrderJson() {}

  static ObjectNode v1(OrderView order) {
    return Json.object()
        .put("id", order.orderId())
        .put("customerId", order.customerId())
        .put("status", order.status().name())
        .put("total", order.total().decimal())
        .put("currency", order.total().currency().getCurrencyCode())
        .put("lines", order.lines())
        .put("express", order.express())
        .put("placedAt", order.placedAt().toString());
  }

  static ObjectNode v2(OrderView order) {
    ObjectNode json = Json.object().put("id", order.orderId()).put("status", order.status().name());
    json.putObject("customer").put("id", order.customerId());
    json.set("total", money(order.total()));
    json.put("lineCount", order.lines());
    json.putObject("shipping").put("express", order.express());
    json.put("placedAt", order.placedAt().toString());
    return json;
  }

  /** An order as a command left it: the write side's answer, before the read side catches up. */
  static ObjectNode state(Order order) {
    return Json.object()
        .put("id", String.valueOf(order.id()))
        .put("status", order.status().name())
        .put("total", order.total().decimal())
        .put("currency", order.total().currency().getCurrencyCode())
        .put("lines", order.lines().size());
  }

  static ObjectNode money(Money money) {
    return Json.object()
        .put("amount", money.decimal())
        .put("currency", money.currency().getCurrencyCode());
  }

  static ObjectNode list(List<OrderView> orders, boolean v2) {
    ObjectNode json = Json.object();
    ArrayNode items = json.putArray("orders");
    for (OrderView order : orders) {
      items.add(v2 ? v2(order) : v1(order));
    }
    return json;
  }
}
