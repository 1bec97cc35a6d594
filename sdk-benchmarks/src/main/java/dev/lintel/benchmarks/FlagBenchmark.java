package dev.lintel.benchmarks;

import dev.lintel.core.flags.Flags;
import dev.lintel.core.flags.InMemoryFlagStore;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import java.util.Set;
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
 * A cached flag evaluation: a 30% rollout with allow and deny lists, for a user who goes through
 * the rollout hash. The target is 0 B/op: the hash is computed over the flag name and user id in
 * place, without building {@code name + ":" + user}.
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar FlagBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlagBenchmark {
  private final FlagContext user = FlagContext.user("user-4711");
  private Flags flags;

  @Setup
  public void setUp() {
    InMemoryFlagStore store = new InMemoryFlagStore();
    store.put(
        Flag.rollout("new-checkout", 30)
            .withAllowedUsers(Set.of("ada"))
            .withDeniedUsers(Set.of("bob")));
    flags = Flags.using(store);
  }

  @Benchmark
  public boolean evaluate() {
    return flags.isEnabled("new-checkout", user, false);
  }
}
