package dev.lintel.core.gateway;

import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;

/**
 * A stand-in for an authentication filter in tests: the principal is the {@code X-User} header, if
 * any. Never do this outside tests.
 */
final class TrustedUserHeader implements Filter {
  @Override
  public Response filter(Request request, Chain next) throws Exception {
    String user = request.header("X-User");
    return next.proceed(user != null ? request.withPrincipal(user) : request);
  }
}
