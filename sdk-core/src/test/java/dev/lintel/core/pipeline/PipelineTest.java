package dev.lintel.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.Overflow;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(
    value = 2,
    unit = java.util.concurrent.TimeUnit.MINUTES) // a hang fails, not stalls the build
class PipelineTest {

  private static List<Integer> numbers(int count) {
    return IntStream.range(0, count).boxed().collect(Collectors.toList());
  }

  private static void jitter() {
    LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(0, 200_000));
  }

  @Test
  void typedStagesCarryEveryItemToTheSinkOnce() {
    ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();

    PipelineProgress result =
        Pipeline.from(numbers(5_000))
            .map(n -> n * 2)
            .mapAsync(16, n -> (long) n + 1)
            .parallel(3, n -> "item-" + n)
            .to(out::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(out)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 5_000).mapToObj(n -> "item-" + (n * 2 + 1)).toList());
    assertThat(result.state()).isEqualTo(PipelineState.COMPLETED);
    assertThat(result.read()).isEqualTo(5_000);
    assertThat(result.processed()).isEqualTo(5_000);
    assertThat(result.balanced()).isTrue();
    assertThat(result.stages())
        .extracting(StageProgress::name)
        .containsExactly("source", "map", "mapAsync", "parallel", "sink");
    assertThat(result.stages()).allSatisfy(stage -> assertThat(stage.out()).isEqualTo(5_000));
  }

  @Test
  void orderedStagesKeepTheSourceOrderThroughRandomDelays() {
    List<Integer> out = Collections.synchronizedList(new ArrayList<>());

    Pipeline.from(numbers(3_000))
        .mapAsync(
            32,
            n -> {
              jitter();
              return n;
            })
        .ordered()
        .parallel(
            4,
            n -> {
              jitter();
              return n;
            })
        .ordered(8)
        .to(out::add)
        .progressInterval(Duration.ZERO)
        .build()
        .run();

    assertThat(out).containsExactlyElementsOf(numbers(3_000));
  }

  @Test
  void orderedStageSkipsFailedItemsWithoutLosingItsPlace() {
    List<Integer> out = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(numbers(1_000))
            .mapAsync(
                8,
                n -> {
                  jitter();
                  if (n % 10 == 0) {
                    throw new IllegalArgumentException("no tens: " + n);
                  }
                  return n;
                })
            .ordered(4)
            .onError(ErrorPolicy.skip())
            .to(out::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(out)
        .containsExactlyElementsOf(numbers(1_000).stream().filter(n -> n % 10 != 0).toList());
    assertThat(result.skipped()).isEqualTo(100);
    assertThat(result.processed()).isEqualTo(900);
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void batchesAreFullExceptTheLastWhichIsFlushedAtTheEnd() {
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(numbers(1_005))
            .batch(100, Duration.ofHours(1))
            .to(batches::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(batches).hasSize(11);
    assertThat(batches.subList(0, 10)).allSatisfy(batch -> assertThat(batch).hasSize(100));
    assertThat(batches.get(10)).containsExactly(1000, 1001, 1002, 1003, 1004);
    assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(numbers(1_005));
    assertThat(result.processed()).isEqualTo(1_005);
  }

  @Test
  void aPartialBatchIsFlushedAfterMaxWait() throws Exception {
    java.util.concurrent.BlockingQueue<Integer> input =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.BlockingQueue<List<Integer>> batches =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Pipeline pipeline =
        Pipeline.from(Sources.of(input))
            .batch(1_000, Duration.ofMillis(20))
            .to(batches::add)
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    try {
      input.addAll(List.of(1, 2, 3));

      // waits for the time-based flush: the batch can never fill
      List<Integer> batch = batches.poll(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(batch).isNotNull();
      List<Integer> all = new ArrayList<>(batch);
      while (all.size() < 3) {
        all.addAll(batches.poll(20, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(all).containsExactly(1, 2, 3);
    } finally {
      pipeline.close();
    }
    assertThat(pipeline.state()).isEqualTo(PipelineState.COMPLETED);
  }

  @Test
  void aStepReturningNullIsAFailureOfThatItem() {
    Pipeline pipeline =
        Pipeline.from(numbers(10))
            .map(n -> n == 3 ? null : n)
            .named("lookup")
            .to(n -> {})
            .progressInterval(Duration.ZERO)
            .build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("stage 'lookup'")
        .hasMessageContaining("item #3")
        .hasRootCauseMessage("stage 'lookup' (map) returned null; a step must return an item");
    assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
  }

  @Test
  void repeatedDefaultNamesAreNumberedAndDuplicateNamesRefused() {
    PipelineProgress result =
        Pipeline.from(numbers(3))
            .map(n -> n)
            .map(n -> n)
            .to(n -> {})
            .progressInterval(Duration.ZERO)
            .build()
            .run();
    assertThat(result.stages())
        .extracting(StageProgress::name)
        .containsExactly("source", "map", "map-2", "sink");

    Pipeline.Builder twins =
        Pipeline.from(numbers(3)).map(n -> n).named("x").map(n -> n).named("x").to(n -> {});
    assertThatThrownBy(twins::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two stages are named 'x'");
  }

  @Test
  void badSettingsAreRefusedAtOnceNamingTheValue() {
    Flow<Integer> flow = Pipeline.from(numbers(3));
    assertThatThrownBy(() -> flow.mapAsync(0, n -> n))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency must be at least 1 but was 0");
    assertThatThrownBy(() -> flow.parallel(-2, n -> n))
        .hasMessage("workers must be at least 1 but was -2");
    assertThatThrownBy(() -> flow.batch(0, Duration.ofSeconds(1)))
        .hasMessage("batch size must be at least 1 but was 0");
    assertThatThrownBy(() -> flow.batch(10, Duration.ZERO))
        .hasMessage("batch maxWait must be positive but was PT0S");
    assertThatThrownBy(flow::ordered)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("stage 'source' (source) keeps its order anyway");
    assertThatThrownBy(() -> flow.buffer(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("stage 'source' (source) has no input of its own");
    assertThatThrownBy(() -> flow.map(n -> n).overflow(Overflow.DROP))
        .hasMessageStartingWith("stage 'map' (map) has no input of its own");
  }

  @Test
  void aFlowThatWasExtendedRefusesFurtherCalls() {
    Flow<Integer> start = Pipeline.from(numbers(3));
    Flow<Integer> next = start.map(n -> n);
    next.parallel(2, n -> n).buffer(8);

    assertThatThrownBy(() -> start.map(n -> n))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chain calls on the Flow the previous call returned");
    assertThatThrownBy(() -> next.buffer(4)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> next.keyedBy(n -> n)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPipelineRunsOnce() {
    Pipeline pipeline =
        Pipeline.from(numbers(3)).to(n -> {}).progressInterval(Duration.ZERO).build();
    pipeline.run();

    assertThatThrownBy(pipeline::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pipeline 'pipeline' can be started once, but it is COMPLETED");
  }

  @Test
  void streamSourcesAreClosedAndTheirLengthGivesAnEta() {
    boolean[] closed = {false};
    List<PipelineProgress> reports = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(LongStream.range(0, 2_000).boxed().onClose(() -> closed[0] = true))
            .to(n -> {})
            .progressInterval(Duration.ZERO)
            .progressListener(reports::add)
            .build()
            .run();

    assertThat(closed[0]).isTrue();
    assertThat(result.read()).isEqualTo(2_000);
    assertThat(reports).last().isEqualTo(result);
    assertThat(result.eta()).isEqualTo(Duration.ZERO);
  }

  @Test
  void anIteratorThatWaitsForTheSinkIsNotHeldBackByReadAhead() {
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.Iterator<Integer> pingPong =
        new java.util.Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return next < 1_000;
          }

          @Override
          public Integer next() {
            if (next >= 200) { // fast at first, then each item waits until the sink saw the last
              while (seen.get() < next) {
                Thread.onSpinWait();
              }
            }
            return next++;
          }
        };

    PipelineProgress result =
        Pipeline.from(pingPong)
            .to(n -> seen.incrementAndGet())
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.processed()).isEqualTo(1_000);
  }

  @Test
  void itemsOfACollectionReadAheadInGroupsKeepTheirOrderAndBalance() {
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    PipelineProgress result =
        Pipeline.from(numbers(100_000))
            .map(n -> n + 1)
            .to(seen::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.balanced()).isTrue();
    assertThat(result.stages()).allSatisfy(stage -> assertThat(stage.out()).isEqualTo(100_000));
    assertThat(seen).isEqualTo(IntStream.rangeClosed(1, 100_000).boxed().toList());
  }
}
