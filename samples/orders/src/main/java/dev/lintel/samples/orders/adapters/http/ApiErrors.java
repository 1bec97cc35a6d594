package dev.lintel.samples.orders.adapters.http;

import dev.lintel.ShuttingDownException;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import dev.lintel.samples.orders.application.ConcurrentChangeException;
import dev.lintel.samples.orders.domain.DomainRuleViolation;

/**
 * Turns the exceptions of the use cases into HTTP answers with a JSON {@code error}: a request the
 * API cannot read is a 400, a refused domain rule a 422, an order that kept changing a 409, a
 * service shutting down a 503. Anything else is left to the pipeline (500 with an error id,
 * logged).
 */
final class ApiErrors implements Filter {

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    try {
      return next.proceed(request);
    } catch (BadRequestException e) {
      return Json.error(400, e.getMessage());
    } catch (DomainRuleViolation e) {
      return Json.error(422, e.getMessage());
    } catch (ConcurrentChangeException e) {
      return Json.error(409, e.getMessage());
    } catch (ShuttingDownException e) {
      return Json.error(503, "shutting down").withHeader("Retry-After", "1");
    }
  }
}
