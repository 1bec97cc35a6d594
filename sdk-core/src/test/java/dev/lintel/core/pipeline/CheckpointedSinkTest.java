package dev.lintel.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.pipeline.CheckpointedSink;
import dev.lintel.pipeline.ErrorPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
class CheckpointedSinkTest {

  /** Items and position kept together, as one database transaction would. */
  static final class Store implements CheckpointedSink<List<Integer>> {
    final List<Integer> written = new ArrayList<>();
    final List<Long> positions = new ArrayList<>();
    long position;

    @Override
    public synchronized long storedPosition() {
      return position;
    }

    @Override
    public synchronized void accept(List<Integer> batch, long at) {
      written.addAll(batch);
      positions.add(at);
      position = at;
    }
  }

  @Test
  void eachBatchComesWithThePositionAfterItsLastItemAndARestartResumesThere() {
    List<Integer> items = IntStream.range(0, 1_000).boxed().toList();
    Store store = new Store();
    orderedBatchesOf100(items.subList(0, 600), store);
    assertThat(store.positions).containsExactly(100L, 200L, 300L, 400L, 500L, 600L);

    var again = orderedBatchesOf100(items, store);

    assertThat(again.read()).isEqualTo(400);
    assertThat(store.written).isEqualTo(items);
  }

  private static dev.lintel.pipeline.PipelineProgress orderedBatchesOf100(
      List<Integer> items, Store store) {
    return Pipeline.from(items)
        .parallel(4, n -> n)
        .ordered()
        .batch(100, Duration.ofSeconds(10))
        .to(store)
        .progressInterval(Duration.ZERO)
        .build()
        .run();
  }

  @Test
  void skippedItemsBeforeABatchAreCoveredByItsPosition() {
    Store store = new Store();
    Pipeline.from(IntStream.range(0, 10).boxed().toList())
        .map(
            n -> {
              if (n % 3 == 0) {
                throw new IllegalArgumentException("bad " + n);
              }
              return n;
            })
        .onError(ErrorPolicy.skip())
        .batch(2, Duration.ofSeconds(10))
        .to(store)
        .progressInterval(Duration.ZERO)
        .build()
        .run();

    assertThat(store.written).containsExactly(1, 2, 4, 5, 7, 8);
    assertThat(store.positions).containsExactly(3L, 6L, 9L); // 3, 6, 9 skipped before each end
  }

  @Test
  void anUnorderedStageBeforeItIsRefusedAtBuild() {
    Flow<List<Integer>> flow =
        Pipeline.from(List.of(1, 2, 3))
            .mapAsync(8, n -> n)
            .named("enrich")
            .batch(2, Duration.ofMillis(10));

    assertThatThrownBy(() -> flow.to(new Store()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stage 'enrich'")
        .hasMessageContaining("ordered()");
  }

  @Test
  void aSourceWithoutAPositionIsRefusedAtBuild() {
    Flow<List<Integer>> flow =
        Pipeline.from(Sources.of(new LinkedBlockingQueue<Integer>()))
            .batch(2, Duration.ofMillis(1));

    assertThatThrownBy(() -> flow.to(new Store()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a source with a position");
  }
}
