package dev.lintel.core.pipeline;

import static dev.lintel.core.pipeline.Order.orders;
import static dev.lintel.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batch right after a source that never waits is filled on the source thread ({@link
 * SourceBatches}), with no envelope per item: what fails on the way must still meet its policy,
 * keys and counts exactly as on the per-item path.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SourceBatchesTest {
  @Test
  void mapFailuresBeforeTheBatchMeetTheirPoliciesAndEveryCountBalances() {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
    List<List<Order>> batches = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(orders(1_000))
            .keyedBy(Order::id)
            .map(
                order -> {
                  if (order.amount() % 7 == 0) {
                    throw new IllegalArgumentException("bad amount");
                  }
                  return order;
                })
            .onError(ErrorPolicy.skip())
            .named("validate")
            .map(
                order -> {
                  int attempt =
                      attempts
                          .computeIfAbsent(order.id(), id -> new AtomicInteger())
                          .incrementAndGet();
                  if (order.amount() % 10 == 0 && attempt < 3) {
                    throw new java.io.IOException("timeout");
                  }
                  return order;
                })
            .onError(ErrorPolicy.retry(3, Duration.ZERO))
            .named("enrich")
            .map(
                order -> {
                  if (order.amount() % 13 == 0) {
                    throw new IllegalStateException("no such customer");
                  }
                  return order;
                })
            .onError(ErrorPolicy.deadLetter(letters::add))
            .named("link")
            .batch(50, Duration.ofHours(1))
            .to(batches::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    List<Integer> sevens = IntStream.range(0, 1_000).filter(n -> n % 7 == 0).boxed().toList();
    List<Integer> thirteens =
        IntStream.range(0, 1_000).filter(n -> n % 13 == 0 && n % 7 != 0).boxed().toList();
    int passed = 1_000 - sevens.size() - thirteens.size();

    assertThat(attempts.get("o-10")).hasValue(3); // two failures, then success: never a 4th call
    assertThat(attempts.get("o-11")).hasValue(1);
    assertThat(attempts).doesNotContainKey("o-70"); // skipped by the step before
    assertThat(letters)
        .extracting(DeadLetter::key)
        .containsExactlyElementsOf(thirteens.stream().map(n -> "o-" + n).toList());
    assertThat(letters.get(0).stage()).isEqualTo("link");
    assertThat(letters.get(0).attempts()).isEqualTo(1);

    List<Order> saved = batches.stream().flatMap(List::stream).toList();
    assertThat(saved).hasSize(passed);
    assertThat(saved).isSortedAccordingTo((a, b) -> Integer.compare(a.amount(), b.amount()));
    assertThat(batches.subList(0, batches.size() - 1)).allSatisfy(b -> assertThat(b).hasSize(50));

    assertThat(result.read()).isEqualTo(1_000);
    assertThat(result.skipped()).isEqualTo(sevens.size());
    assertThat(result.deadLettered()).isEqualTo(thirteens.size());
    assertThat(result.processed()).isEqualTo(passed);
    assertThat(result.balanced()).isTrue();
    StageProgress validate = result.stages().get(1);
    StageProgress enrich = result.stages().get(2);
    StageProgress link = result.stages().get(3);
    StageProgress batch = result.stages().get(4);
    assertThat(result.stages().get(0).out()).isEqualTo(1_000);
    assertThat(validate)
        .extracting(StageProgress::in, StageProgress::out, StageProgress::skipped)
        .containsExactly(1_000L, 1_000L - sevens.size(), (long) sevens.size());
    long tens = IntStream.range(0, 1_000).filter(n -> n % 10 == 0 && n % 7 != 0).count();
    assertThat(enrich)
        .extracting(StageProgress::in, StageProgress::out, StageProgress::failures)
        .containsExactly(1_000L - sevens.size(), 1_000L - sevens.size(), tens * 2);
    assertThat(link)
        .extracting(StageProgress::in, StageProgress::out, StageProgress::deadLettered)
        .containsExactly(1_000L - sevens.size(), (long) passed, (long) thirteens.size());
    assertThat(batch)
        .extracting(StageProgress::in, StageProgress::out)
        .containsExactly((long) passed, (long) passed);
  }

  @Test
  void withoutAKeyADeadLetteredBatchIsNamedByTheReadNumbersItSpans() {
    List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(IntStream.range(0, 100).boxed().toList())
            .batch(10, Duration.ofHours(1))
            .to(
                batch -> {
                  if (batch.contains(30)) {
                    throw new IllegalStateException("constraint violated");
                  }
                })
            .onError(ErrorPolicy.deadLetter(letters::add))
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(letters)
        .singleElement()
        .extracting(DeadLetter::key)
        .isEqualTo("#30..#39 (10 items)");
    assertThat(letters.get(0).item()).isEqualTo(IntStream.range(30, 40).boxed().toList());
    assertThat(result.deadLettered()).isEqualTo(10);
    assertThat(result.processed()).isEqualTo(90);
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void aBatchFilledSlowlyByAMapStepIsHandedOnWithinAboutTwiceMaxWait() {
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

    Pipeline.from(IntStream.range(0, 24).boxed().toList())
        .map(
            n -> {
              Thread.sleep(20);
              return n;
            })
        .batch(1_000, Duration.ofMillis(50))
        .to(batch -> sizes.add(batch.size()))
        .progressInterval(Duration.ZERO)
        .build()
        .run();

    // 20 ms or more per item and 50 ms to wait: the clock is read at 1, 2 and 4 items, so no list
    // holds more than 4; a list that waited for the input to end would hold all 24
    assertThat(sizes)
        .hasSizeGreaterThanOrEqualTo(6)
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(24);
  }

  @Test
  void whileALargeBatchFillsTheReportsShowTheItemsReadAndHeld() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    Pipeline pipeline =
        Pipeline.from(IntStream.range(0, 2_000).boxed().toList())
            .map(
                n -> {
                  if (n == 300) {
                    release.await();
                  }
                  return n;
                })
            .batch(1_000, Duration.ofHours(1))
            .to(batch -> sizes.add(batch.size()))
            .progressInterval(Duration.ZERO)
            .build();
    pipeline.start();
    try {
      awaitTrue(() -> pipeline.progress().read() >= 256, "the reports to show 256 items read");
      PipelineProgress filling = pipeline.progress();
      assertThat(sizes).isEmpty(); // nothing handed on yet
      assertThat(filling.read()).isGreaterThanOrEqualTo(256);
      assertThat(filling.stages().get(0).out()).isGreaterThanOrEqualTo(256);
      assertThat(filling.stages().get(1).out()).isGreaterThanOrEqualTo(256);
      assertThat(filling.inFlight()).isEqualTo(filling.read());
    } finally {
      release.countDown();
    }
    PipelineProgress done = pipeline.awaitCompletion();
    assertThat(sizes).containsExactly(1_000, 1_000);
    assertThat(done.processed()).isEqualTo(2_000);
  }

  @Test
  void aMapFailureUnderTheFailPolicyStopsThePipelineNamingTheItemAndNothingAfterItIsSaved() {
    List<Order> saved = Collections.synchronizedList(new ArrayList<>());
    Pipeline pipeline =
        Pipeline.from(orders(10_000))
            .keyedBy(Order::id)
            .map(
                order -> {
                  if (order.amount() == 5_000) {
                    throw new IllegalStateException("corrupt order");
                  }
                  return order;
                })
            .named("validate")
            .batch(100, Duration.ofHours(1))
            .to(saved::addAll)
            .progressInterval(Duration.ZERO)
            .build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("stage 'validate'")
        .hasMessageContaining("item o-5000 failed after 1 attempt(s)");
    assertThat(saved).allSatisfy(order -> assertThat(order.amount()).isLessThan(5_000));
    assertThat(saved).isSortedAccordingTo((a, b) -> Integer.compare(a.amount(), b.amount()));
    assertThat(pipeline.progress().processed()).isEqualTo(saved.size());
  }
}
