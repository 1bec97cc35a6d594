package dev.lintel.benchmarks;

import dev.lintel.core.gateway.TokenBucket;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
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
 * Taking a token from a local bucket that never runs dry (the admission path itself): Lintel's
 * {@link TokenBucket} (GCRA, one CAS) vs Bucket4j's local lock-free bucket with the same capacity
 * and greedy refill.
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar RateLimitBenchmark -t 1 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RateLimitBenchmark {
  static final long CAPACITY = 1_000_000_000L;
  static final long PER_SECOND = 1_000_000_000L;

  private TokenBucket lintel;
  private Bucket bucket4j;

  @Setup
  public void setUp() {
    lintel = TokenBucket.of(CAPACITY, PER_SECOND);
    bucket4j =
        Bucket.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(CAPACITY)
                    .refillGreedy(PER_SECOND, Duration.ofSeconds(1))
                    .build())
            .build();
  }

  @Benchmark
  public boolean lintel() {
    return lintel.tryAcquire() == 0;
  }

  @Benchmark
  public boolean bucket4j() {
    return bucket4j.tryConsume(1);
  }
}
