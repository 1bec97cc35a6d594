package dev.lintel.benchmarks;

import dev.lintel.core.gateway.CircuitBreakingHandler;
import dev.lintel.core.gateway.Pipeline;
import dev.lintel.core.gateway.RateLimitFilter;
import dev.lintel.gateway.Handler;
import dev.lintel.gateway.Request;
import dev.lintel.gateway.Response;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request through Lintel's pipeline (rate limit + routing among a few routes + a circuit-broken
 * handler) vs the same handler decorated by a bare resilience4j {@link CircuitBreaker}. The request
 * is an immutable value, so one is sent again and again; what the pipeline keeps per request (its
 * one clock reading, shared by the rate limit and the breaker) lives in a small exchange object it
 * makes per call, which {@code -prof gc} shows unless the JIT scalar-replaces it.
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar GatewayBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GatewayBenchmark {
  private static final Response OK = Response.ok("stock: 42");

  private final Handler handler = request -> OK;
  private final Request request = Request.of("GET", "/stock");
  private Pipeline pipeline;
  private CircuitBreaker breaker;

  @Setup
  public void setUp() {
    pipeline =
        Pipeline.builder()
            .filter(RateLimitFilter.keyedBy(1_000_000_000L, 1e9, r -> "all"))
            .route("GET", "/orders", r -> OK)
            .route("POST", "/orders", r -> OK)
            .route("GET", "/stock", CircuitBreakingHandler.of("stock", handler))
            .build();
    breaker = CircuitBreaker.ofDefaults("stock");
  }

  @Benchmark
  public Response lintelPipeline() {
    return pipeline.handle(request);
  }

  @Benchmark
  public Response resilience4jBreaker() throws Throwable {
    return breaker.executeCheckedSupplier(() -> handler.handle(request));
  }
}
