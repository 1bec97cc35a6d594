package dev.lintel.benchmarks;

import dev.lintel.core.cqrs.LocalCommandBus;
import dev.lintel.cqrs.Command;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
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
 * Synchronous command dispatch: the same command and handler through a plain map lookup ({@code
 * direct}), Lintel's {@link LocalCommandBus#send} ({@code lintel}) and Axon's {@link
 * SimpleCommandBus} behind {@link DefaultCommandGateway#sendAndWait} ({@code axon}).
 *
 * <p>The command is created once in setup, so allocation reported by {@code -prof gc} is the bus's
 * own. The handler returns a small cached {@link Integer}, which allocates nothing.
 *
 * <pre>
 * ./mvnw -q -pl sdk-benchmarks -am package -DskipTests
 * java -jar sdk-benchmarks/target/benchmarks.jar CommandDispatchBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CommandDispatchBenchmark {

  /** The command every variant dispatches. */
  public record PlaceOrder(String customer, int quantity) implements Command<Integer> {}

  private final PlaceOrder command = new PlaceOrder("ada", 3);
  private final Map<Class<?>, Function<Object, Object>> directHandlers = new HashMap<>();
  private LocalCommandBus lintelBus = LocalCommandBus.create();
  private CommandGateway axonGateway =
      DefaultCommandGateway.builder().commandBus(SimpleCommandBus.builder().build()).build();

  /** Registers the same handler with each variant. */
  @Setup
  public void setUp() {
    directHandlers.put(PlaceOrder.class, message -> handle((PlaceOrder) message));

    lintelBus = LocalCommandBus.create();
    lintelBus.register(PlaceOrder.class, CommandDispatchBenchmark::handle);

    SimpleCommandBus axonBus = SimpleCommandBus.builder().build();
    axonBus.subscribe(
        PlaceOrder.class.getName(),
        (CommandMessage<?> message) -> handle((PlaceOrder) message.getPayload()));
    axonGateway = DefaultCommandGateway.builder().commandBus(axonBus).build();
  }

  /**
   * The handler: a little real work on the command.
   *
   * @param order the command
   * @return twice the quantity
   */
  static Integer handle(PlaceOrder order) {
    return order.quantity() * 2;
  }

  /**
   * The floor: the handler found in a map by the command's class and called.
   *
   * @return the handler's result
   */
  @Benchmark
  public Object direct() {
    return directHandlers.get(command.getClass()).apply(command);
  }

  /**
   * Lintel's synchronous send.
   *
   * @return the handler's result
   */
  @Benchmark
  public Object lintel() {
    return lintelBus.send(command);
  }

  /**
   * Axon's gateway and simple command bus.
   *
   * @return the handler's result
   */
  @Benchmark
  public Object axon() {
    return axonGateway.sendAndWait(command);
  }
}
