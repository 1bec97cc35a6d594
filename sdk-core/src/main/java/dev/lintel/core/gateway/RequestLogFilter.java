package dev.lintel.core.gateway;

import dev.lintel.TimeSource;
import dev.lintel.core.internal.GatewayExchange;
import dev.lintel.gateway.AttributeKey;
import dev.lintel.gateway.Filter;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs one line per request at INFO (method, path, status, duration, principal, request id) and
 * gives each request an id: the caller's {@code X-Request-Id} when it is a safe token (letters,
 * digits, {@code . _ : -}, at most 64 characters), a new random one otherwise. The id is attached
 * to the request passed on as the attribute {@link #REQUEST_ID_ATTRIBUTE}, put in the SLF4J {@link
 * MDC} as {@value #MDC_KEY} while the rest of the pipeline runs (so other log lines of the request
 * carry it), and returned in the response's {@code X-Request-Id} header.
 *
 * <p>In a pipeline the duration counts from when the pipeline took the request, on the pipeline's
 * time source, and the principal logged is the one an authentication filter further in attached to
 * the request it passed on. Outside a pipeline ({@link Filter#around}, direct calls) the filter
 * measures on {@link TimeSource#system()} and logs the principal of the request it was given.
 *
 * <p>Headers, the query string and bodies are never logged: they carry tokens and personal data.
 * Put this filter first, so that it also logs requests other filters refuse. Thread-safe.
 */
public final class RequestLogFilter implements Filter {
  /** The header that carries the request id, in and out. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  /** The request attribute that holds the request id, named {@code request.id}. */
  public static final AttributeKey<String> REQUEST_ID_ATTRIBUTE =
      AttributeKey.of("request.id", String.class);

  /** The MDC key that holds the request id while the request runs. */
  public static final String MDC_KEY = "requestId";

  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final Logger log;

  private RequestLogFilter(Logger log) {
    this.log = log;
  }

  /**
   * Logs to the logger {@code dev.lintel.gateway.access}.
   *
   * @return the filter
   */
  public static RequestLogFilter create() {
    return to("dev.lintel.gateway.access");
  }

  /**
   * Logs to a logger of your choice.
   *
   * @param loggerName the logger's name
   * @return the filter
   */
  public static RequestLogFilter to(String loggerName) {
    return new RequestLogFilter(LoggerFactory.getLogger(Objects.requireNonNull(loggerName)));
  }

  @Override
  public Response filter(Request request, Chain next) throws Exception {
    String incoming = request.header(REQUEST_ID_HEADER);
    String id =
        incoming != null && SAFE_ID.matcher(incoming).matches()
            ? incoming
            : new UUID(
                    ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong())
                .toString();
    GatewayExchange exchange = GatewayExchange.of(next);
    long start = exchange != null ? exchange.arrivalNanos() : TimeSource.system().nanoTime();
    Request identified = request.withAttribute(REQUEST_ID_ATTRIBUTE, id);
    Response response;
    String outer = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, id);
    try {
      response = next.proceed(identified);
    } catch (Exception | Error e) {
      log(identified, exchange, "failed (" + e.getClass().getSimpleName() + ")", start, id);
      throw e;
    } finally {
      if (outer == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, outer);
      }
    }
    log(identified, exchange, Integer.toString(response.status()), start, id);
    return response.withHeader(REQUEST_ID_HEADER, id);
  }

  private void log(
      Request request,
      @Nullable GatewayExchange exchange,
      String outcome,
      long startNanos,
      String id) {
    if (log.isInfoEnabled()) {
      long end = exchange != null ? exchange.nanoTime() : TimeSource.system().nanoTime();
      long micros = (end - startNanos) / 1_000;
      String principal = exchange != null ? exchange.principal() : request.principal();
      log.info(
          "{} {} {} in {} ms (principal {}, request {})",
          request.method(),
          request.path(), // Request refuses control characters in paths
          outcome,
          micros / 1000.0,
          principal == null ? "-" : printable(principal),
          id);
    }
  }

  /** The principal with control characters replaced, so that no one can forge log lines. */
  private static String printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        StringBuilder clean = new StringBuilder(text);
        for (int j = i; j < clean.length(); j++) {
          if (Character.isISOControl(clean.charAt(j))) {
            clean.setCharAt(j, '?');
          }
        }
        return clean.toString();
      }
    }
    return text;
  }
}
