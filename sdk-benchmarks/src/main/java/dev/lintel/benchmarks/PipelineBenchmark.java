package dev.lintel.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.pipeline.PipelineProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The data pipeline against its peers, in three shapes.
 *
 * <ul>
 *   <li>{@code seedPipeline*}: the seed's job on {@code seedItems} JSON lines (100,000): parse with
 *       Jackson, enrich with a simulated 10 ms I/O wait at concurrency 100, transform with a small
 *       CPU function, save in batches of 100 with a simulated 5 ms wait. The physical limit is
 *       concurrency / latency = 100 / 10 ms = 10,000 items/s, so 10 s for 100,000 items: divide 10
 *       s by the score for the fraction of the limit. Peers: Project Reactor ({@code flatMap} with
 *       concurrency 100 over a non-blocking {@code Mono.delay}, {@code bufferTimeout}, {@code
 *       concatMap} for the saves) and a hand-rolled {@code ExecutorService} + {@code Semaphore}.
 *       Single shot: one run per iteration.
 *   <li>{@code cpuOnly*}: 1,000,000 items through map + batch(256) + a CPU stage on 2 workers vs a
 *       {@code parallelStream} of the same work; run with {@code -prof gc} for allocation per op
 *       (divide by 1,000,000 for per item). {@code cpuOnlyTwoThreadsBound} is the ceiling for any
 *       design with two threads of its own: two bare threads over sublists of the input.
 *   <li>{@code handOff*}: 1,000,000 items across one stage boundary (source thread to sink thread,
 *       input of 256) vs a producer and a consumer on an {@code ArrayBlockingQueue} of 256.
 * </ul>
 *
 * <pre>
 * java -jar sdk-benchmarks/target/benchmarks.jar PipelineBenchmark -f 1 -wi 1 -i 1 -r 1s
 * java -jar sdk-benchmarks/target/benchmarks.jar 'PipelineBenchmark.cpuOnly' -prof gc
 * </pre>
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PipelineBenchmark {
  static final int CONCURRENCY = 100;
  static final Duration ENRICH = Duration.ofMillis(10);
  static final Duration SAVE = Duration.ofMillis(5);
  static final int SAVE_BATCH = 100;
  static final Duration MAX_WAIT = Duration.ofMillis(50);
  static final int CPU_ITEMS = 1_000_000;
  static final int HAND_OFF_ITEMS = 1_000_000;
  static final int CPU_WORKERS = 2;

  /**
   * One line of the seed's input.
   *
   * @param id the order's id
   * @param customer the customer
   * @param quantity how many
   * @param unitCents the unit price in cents
   */
  public record Order(String id, String customer, int quantity, long unitCents) {}

  /** The JSON lines of the seed benchmark, made once per trial. */
  @State(Scope.Benchmark)
  public static class SeedInput {
    /** How many JSON lines one run processes. */
    @Param("100000")
    public int seedItems;

    List<String> lines;
    ObjectReader reader;

    /** Writes the lines. */
    @Setup(Level.Trial)
    public void setUp() {
      reader = new ObjectMapper().readerFor(Order.class);
      lines = new ArrayList<>(seedItems);
      for (int n = 0; n < seedItems; n++) {
        lines.add(
            "{\"id\":\"o-"
                + n
                + "\",\"customer\":\"c-"
                + (n % 97)
                + "\",\"quantity\":"
                + (1 + n % 5)
                + ",\"unitCents\":"
                + (100 + n % 1_000)
                + "}");
      }
    }

    Order parse(String line) {
      try {
        return reader.readValue(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The boxed items of the CPU and hand-off benchmarks, made once per trial. */
  @State(Scope.Benchmark)
  public static class Items {
    List<Integer> cpu;
    List<Integer> handOff;

    /** Boxes the items. */
    @Setup(Level.Trial)
    public void setUp() {
      cpu = new ArrayList<>(CPU_ITEMS);
      for (int n = 0; n < CPU_ITEMS; n++) {
        cpu.add(n);
      }
      handOff = cpu.subList(0, HAND_OFF_ITEMS);
    }
  }

  /** The transform: a small CPU function (a few dozen multiply-xor rounds). */
  static long transform(long value) {
    long h = value;
    for (int i = 0; i < 48; i++) {
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
    }
    return h;
  }

  static long transform(Order order) {
    return transform(order.quantity() * order.unitCents() + order.id().length());
  }

  static Integer validate(Integer value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    return value;
  }

  static void sleep(Duration wait) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(wait.toNanos());
  }

  // ---- seed pipeline ----

  /**
   * The seed's job on Lintel's pipeline: blocking I/O on {@code mapAsync(100)} (virtual threads on
   * JDK 21+, platform threads on 17), the CPU step on 2 workers, one saver.
   *
   * @param input the lines
   * @return the items saved
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long seedPipelineLintel(SeedInput input) {
    LongAdder saved = new LongAdder();
    PipelineProgress result =
        Pipeline.from(input.lines)
            .map(input::parse)
            .mapAsync(
                CONCURRENCY,
                order -> {
                  sleep(ENRICH);
                  return order;
                })
            .parallel(CPU_WORKERS, PipelineBenchmark::transform)
            .batch(SAVE_BATCH, MAX_WAIT)
            .to(
                batch -> {
                  sleep(SAVE);
                  saved.add(batch.size());
                })
            .progressInterval(Duration.ZERO)
            .build()
            .run();
    return result.processed() + saved.sum();
  }

  /**
   * The same stages with Project Reactor: {@code flatMap(..., 100)} over a non-blocking {@code
   * Mono.delay} for the lookup, {@code bufferTimeout(100, 50 ms)}, {@code concatMap} saves.
   *
   * @param input the lines
   * @return the items saved
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long seedPipelineReactorFlatMap(SeedInput input) {
    Long saved =
        Flux.fromIterable(input.lines)
            .map(input::parse)
            .flatMap(order -> Mono.delay(ENRICH).thenReturn(order), CONCURRENCY)
            .map(PipelineBenchmark::transform)
            .bufferTimeout(SAVE_BATCH, MAX_WAIT)
            .concatMap(batch -> Mono.delay(SAVE).thenReturn((long) batch.size()))
            .reduce(0L, Long::sum)
            .block();
    return saved == null ? 0 : saved;
  }

  /**
   * The same job hand-rolled: a fixed pool of 100 threads gated by a semaphore of 100 does the
   * lookup and the transform, a synchronized buffer collects batches of 100, a single-thread
   * executor saves them.
   *
   * @param input the lines
   * @return the items saved
   * @throws InterruptedException never, in practice
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long seedPipelineExecutorPeer(SeedInput input) throws InterruptedException {
    ExecutorService io = Executors.newFixedThreadPool(CONCURRENCY);
    ExecutorService saver = Executors.newSingleThreadExecutor();
    Semaphore permits = new Semaphore(CONCURRENCY);
    LongAdder saved = new LongAdder();
    Object lock = new Object();
    List<List<Long>> pending = new ArrayList<>(1);
    pending.add(new ArrayList<>(SAVE_BATCH));
    for (String line : input.lines) {
      Order order = input.parse(line);
      permits.acquire();
      io.execute(
          () -> {
            try {
              sleep(ENRICH);
              long row = transform(order);
              List<Long> full = null;
              synchronized (lock) {
                List<Long> batch = pending.get(0);
                batch.add(row);
                if (batch.size() == SAVE_BATCH) {
                  full = batch;
                  pending.set(0, new ArrayList<>(SAVE_BATCH));
                }
              }
              if (full != null) {
                List<Long> toSave = full;
                saver.execute(() -> save(toSave, saved));
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              permits.release();
            }
          });
    }
    permits.acquire(CONCURRENCY);
    List<Long> rest;
    synchronized (lock) {
      rest = pending.get(0);
    }
    if (!rest.isEmpty()) {
      saver.execute(() -> save(rest, saved));
    }
    io.shutdown();
    saver.shutdown();
    saver.awaitTermination(1, TimeUnit.MINUTES);
    return saved.sum();
  }

  private static void save(List<Long> batch, LongAdder saved) {
    try {
      sleep(SAVE);
      saved.add(batch.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- CPU only ----

  /**
   * One million items: map (validation) on the source thread, batch(256), the CPU function on 2
   * workers per batch, a sum in the sink.
   *
   * @param items the items
   * @return the sum
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long cpuOnlyLintel(Items items) {
    LongAdder sum = new LongAdder();
    Pipeline.from(items.cpu)
        .map(PipelineBenchmark::validate)
        .batch(256, MAX_WAIT)
        .parallel(
            CPU_WORKERS,
            batch -> {
              long s = 0;
              for (Integer value : batch) {
                s += transform(value);
              }
              return s;
            })
        .to(sum::add)
        .progressInterval(Duration.ZERO)
        .build()
        .run();
    return sum.sum();
  }

  /**
   * The same work as a plain {@code parallelStream} on the common pool.
   *
   * @param items the items
   * @return the sum
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long cpuOnlyParallelStream(Items items) {
    return items.cpu.parallelStream()
        .map(PipelineBenchmark::validate)
        .mapToLong(value -> transform(value))
        .sum();
  }

  /**
   * A reference, not a peer: the least a pipeline with its own two threads could do for the same
   * work, two platform threads started per operation that take sublists of 256 straight from the
   * input (no copy, no bookkeeping, no hand-off) and run {@code validate} and the function. Its
   * ratio to {@link #cpuOnlyParallelStream} is the ceiling for {@link #cpuOnlyLintel} on this
   * machine.
   *
   * @param items the items
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long cpuOnlyTwoThreadsBound(Items items) throws InterruptedException {
    List<Integer> input = items.cpu;
    AtomicInteger next = new AtomicInteger();
    LongAdder sum = new LongAdder();
    Runnable worker =
        () -> {
          for (int from = next.getAndAdd(256); from < input.size(); from = next.getAndAdd(256)) {
            long s = 0;
            for (Integer value : input.subList(from, Math.min(input.size(), from + 256))) {
              s += transform(validate(value));
            }
            sum.add(s);
          }
        };
    Thread[] threads = new Thread[CPU_WORKERS];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = new Thread(worker);
      threads[i].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return sum.sum();
  }

  // ---- stage hand-off ----

  /**
   * One million items from the source thread to a one-worker sink across one bounded input of 256.
   *
   * @param items the items
   * @return the items the sink saw
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long handOffLintel(Items items) {
    long[] seen = new long[1];
    Pipeline.from(items.handOff)
        .to(value -> seen[0] += value)
        .progressInterval(Duration.ZERO)
        .build()
        .run();
    return seen[0];
  }

  /**
   * One million items from a producer thread to this thread through an {@code
   * ArrayBlockingQueue(256)}.
   *
   * @param items the items
   * @return the sum of the items taken
   * @throws InterruptedException never, in practice
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long handOffArrayBlockingQueue(Items items) throws InterruptedException {
    ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(256);
    List<Integer> source = items.handOff;
    Thread producer =
        new Thread(
            () -> {
              try {
                for (Integer value : source) {
                  queue.put(value);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    long seen = 0;
    for (int i = 0; i < source.size(); i++) {
      seen += queue.take();
    }
    producer.join();
    return seen;
  }
}
