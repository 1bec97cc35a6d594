package dev.lintel.samples.orders.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lintel.core.gateway.CircuitBreakingHandler;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.samples.orders.application.Commands.AddLine;
import dev.lintel.samples.orders.application.Commands.CancelOrder;
import dev.lintel.samples.orders.application.Commands.PayOrder;
import dev.lintel.samples.orders.application.Commands.PlaceOrder;
import dev.lintel.samples.orders.application.Commands.RegisterCustomer;
import dev.lintel.samples.orders.application.Commands.ShipOrder;
import dev.lintel.samples.orders.application.OrderView;
import dev.lintel.samples.orders.application.Queries.FindCustomerByEmail;
import dev.lintel.samples.orders.application.Queries.GetOrder;
import dev.lintel.samples.orders.application.Queries.ListOrders;
import dev.lintel.samples.orders.application.Queries.QuoteShipping;
import dev.lintel.samples.orders.application.ShippingQuotes.ShippingQuote;
import dev.lintel.samples.orders.application.ShippingQuotes.ShippingUnavailableException;
import dev.lintel.samples.orders.domain.Customer;
import dev.lintel.samples.orders.domain.CustomerId;
import dev.lintel.samples.orders.domain.Email;
import dev.lintel.samples.orders.domain.Money;
import dev.lintel.samples.orders.domain.Order;
import dev.lintel.samples.orders.domain.OrderId;
import dev.lintel.samples.orders.domain.OrderLine;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The orders API: each route reads the request, sends a command or asks a query on Lintel's buses,
 * and writes the answer. Version 1 has every route; version 2 changes the shape of orders (see
 * {@link OrderJson}), so only the order routes have a version 2.
 *
 * <pre>
 * POST /v1/customers                     {"name", "email"}                  201 {"id"}
 * GET  /v1/customers?email=              the customer                       200, 404
 * POST /v1/orders                        {"customerId", "currency", "lines": [{"sku", "quantity",
 *                                        "unitPrice"}], optional "id"}      201 {"id"}
 * GET  /v1/orders?customer=&amp;limit=       newest first                       200
 * GET  /v1/orders/{id}                   the order (read side, cached)      200, 404
 * POST /v1/orders/{id}/lines             {"sku", "quantity", "unitPrice", "currency"}
 * POST /v1/orders/{id}/payment           {"amount", "currency"}
 * POST /v1/orders/{id}/shipment          express if the express-shipping rollout has the customer
 * POST /v1/orders/{id}/cancellation      {"reason"}
 * GET  /v1/orders/{id}/shipping-quote    from the shipping service, behind a circuit breaker
 * GET  /v2/orders, /v2/orders/{id}       version 2 of the order shape
 * </pre>
 */
final class OrdersApi {
  private static final AttributeKey<String> ID = Pipeline.pathParameter("id");

  private final CommandBus commands;
  private final QueryBus queries;
  private final CircuitBreakingHandler shippingQuotes;

  OrdersApi(CommandBus commands, QueryBus queries) {
    this.commands = commands;
    this.queries = queries;
    this.shippingQuotes =
        CircuitBreakingHandler.of(
            "shipping-quotes",
            this::shippingQuote,
            CircuitBreakerConfig.custom()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .build());
  }

  CircuitBreakingHandler shippingQuotes() {
    return shippingQuotes;
  }

  Pipeline.Builder addRoutes(Pipeline.Builder pipeline) {
    return pipeline
        .route(1, "POST", "/customers", this::registerCustomer)
        .route(1, "GET", "/customers", this::findCustomer)
        .route(1, "POST", "/orders", this::placeOrder)
        .route(1, "GET", "/orders", request -> listOrders(request, false))
        .route(1, "GET", "/orders/{id}", request -> getOrder(request, false))
        .route(1, "POST", "/orders/{id}/lines", this::addLine)
        .route(1, "POST", "/orders/{id}/payment", this::pay)
        .route(1, "POST", "/orders/{id}/shipment", this::ship)
        .route(1, "POST", "/orders/{id}/cancellation", this::cancel)
        .route(1, "GET", "/orders/{id}/shipping-quote", shippingQuotes)
        .route(2, "GET", "/orders", request -> listOrders(request, true))
        .route(2, "GET", "/orders/{id}", request -> getOrder(request, true));
  }

  private Response registerCustomer(Request request) {
    JsonNode body = Json.body(request);
    CustomerId id =
        commands.send(
            new RegisterCustomer(Json.text(body, "name"), new Email(Json.text(body, "email"))));
    return Json.response(201, Json.object().put("id", id.value()))
        .withHeader("Location", "/v1/customers/" + id);
  }

  private Response findCustomer(Request request) {
    String email = request.queryParameter("email");
    if (email == null) {
      throw new BadRequestException("'email' is required");
    }
    Optional<Customer> customer = queries.ask(new FindCustomerByEmail(new Email(email)));
    return customer
        .map(
            found ->
                Json.response(
                    200,
                    Json.object()
                        .put("id", found.id().value())
                        .put("name", found.name())
                        .put("email", found.email().value())))
        .orElseGet(() -> Json.error(404, "no customer with e-mail address " + email));
  }

  private Response placeOrder(Request request) {
    JsonNode body = Json.body(request);
    String currency = Json.text(body, "currency");
    List<OrderLine> lines = new ArrayList<>();
    for (JsonNode line : body.path("lines")) {
      lines.add(line(line, currency));
    }
    OrderId id = body.hasNonNull("id") ? new OrderId(Json.text(body, "id")) : OrderId.random();
    commands.send(
        new PlaceOrder(
            id, new CustomerId(Json.text(body, "customerId")), Money.currency(currency), lines));
    return Json.response(201, Json.object().put("id", id.value()))
        .withHeader("Location", "/v1/orders/" + id);
  }

  private Response listOrders(Request request, boolean v2) {
    String customer = request.queryParameter("customer");
    int limit = limit(request.queryParameter("limit"));
    List<OrderView> orders =
        queries.ask(new ListOrders(customer == null ? null : new CustomerId(customer), limit));
    return Json.response(200, OrderJson.list(orders, v2));
  }

  private Response getOrder(Request request, boolean v2) {
    return queries
        .ask(new GetOrder(orderId(request)))
        .map(order -> Json.response(200, v2 ? OrderJson.v2(order) : OrderJson.v1(order)))
        .orElseGet(() -> Json.error(404, "no order " + request.attribute(ID)));
  }

  private Response addLine(Request request) {
    JsonNode body = Json.body(request);
    return changed(
        commands.send(new AddLine(orderId(request), line(body, Json.text(body, "currency")))));
  }

  private Response pay(Request request) {
    JsonNode body = Json.body(request);
    Money amount = Money.of(Json.text(body, "amount"), Json.text(body, "currency"));
    return changed(commands.send(new PayOrder(orderId(request), amount)));
  }

  private Response ship(Request request) {
    return changed(commands.send(new ShipOrder(orderId(request))));
  }

  private Response cancel(Request request) {
    String reason = Json.body(request).path("reason").asText("");
    return changed(commands.send(new CancelOrder(orderId(request), reason)));
  }

  /** Answers 502 when the shipping service fails, which the route's breaker counts. */
  private Response shippingQuote(Request request) {
    Optional<ShippingQuote> quote;
    try {
      quote = queries.ask(new QuoteShipping(orderId(request)));
    } catch (ShippingUnavailableException e) {
      return Json.error(502, e.getMessage());
    }
    return quote
        .map(
            found -> {
              ObjectNode json =
                  Json.object().put("days", found.days()).put("express", found.express());
              json.set("price", OrderJson.money(found.price()));
              return Json.response(200, json);
            })
        .orElseGet(() -> Json.error(404, "no order to ship with id " + request.attribute(ID)));
  }

  private static Response changed(Order order) {
    return Json.response(200, OrderJson.state(order));
  }

  private static OrderLine line(JsonNode line, String currency) {
    return new OrderLine(
        Json.text(line, "sku"),
        Json.integer(line, "quantity"),
        Money.of(Json.text(line, "unitPrice"), currency));
  }

  private static OrderId orderId(Request request) {
    return new OrderId(Objects.requireNonNull(request.attribute(ID), "routed with {id}"));
  }

  private static int limit(@Nullable String text) {
    if (text == null) {
      return 20;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= 100) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException("'limit' must be a number within 1..100 but was '" + text + "'");
  }
}
