package dev.lintel.core.pipeline;

import static dev.lintel.core.pipeline.Order.orders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.pipeline.DeadLetter;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineException;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.PipelineState;
import dev.lintel.pipeline.StageProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(
    value = 2,
    unit = java.util.concurrent.TimeUnit.MINUTES) // a hang fails, not stalls the build
class ErrorPolicyTest {
  @Test
  void backoffDoublesFromTheInitialWaitUpToTheCap() {
    ErrorPolicy policy =
        ErrorPolicy.retry(10, Duration.ofMillis(100)).withMaxBackoff(Duration.ofMillis(500));

    assertThat(policy.maxAttempts()).isEqualTo(10);
    assertThat(policy.outcome()).isEqualTo(ErrorPolicy.Outcome.FAIL);
    assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.backoffAfter(60)).isEqualTo(Duration.ofMillis(500));
    assertThat(ErrorPolicy.skip().withRetries(3, Duration.ZERO).backoffAfter(2)).isZero();
  }

  @Test
  void policySettingsAreValidated() {
    assertThatThrownBy(() -> ErrorPolicy.retry(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be at least 1 but was 0");
    assertThatThrownBy(() -> ErrorPolicy.skip().withRetries(2, Duration.ofMillis(-1)))
        .hasMessage("backoff must not be negative but was PT-0.001S");
    assertThatThrownBy(() -> ErrorPolicy.fail().withMaxBackoff(Duration.ofSeconds(-1)))
        .hasMessage("maxBackoff must not be negative but was PT-1S");
  }

  @Test
  void failStopsThePipelineNamingTheStageAndTheItemsKey() {
    Pipeline pipeline =
        Pipeline.from(orders(1_000))
            .keyedBy(Order::id)
            .mapAsync(
                4,
                order -> {
                  if (order.amount() == 500) {
                    throw new IllegalStateException("payment service refused");
                  }
                  return order;
                })
            .named("charge")
            .to(order -> {})
            .name("billing")
            .progressInterval(Duration.ZERO)
            .build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith(
            "Pipeline 'billing', stage 'charge': item o-500 failed after 1 attempt(s)")
        .hasRootCauseMessage("payment service refused")
        .satisfies(
            e -> {
              assertThat(((PipelineException) e).stage()).isEqualTo("charge");
              assertThat(((PipelineException) e).pipeline()).isEqualTo("billing");
            });
    assertThat(pipeline.state()).isEqualTo(PipelineState.FAILED);
    assertThat(pipeline.health().status()).isEqualTo(dev.lintel.health.HealthStatus.DOWN);
    assertThat(pipeline.health().detail()).contains("o-500");
  }

  @Test
  void skippedItemsAreCountedPerStageAndInTheBalance() {
    List<Order> saved = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(orders(1_000))
            .map(
                order -> {
                  if (order.amount() % 7 == 0) {
                    throw new IllegalArgumentException("bad amount");
                  }
                  return order;
                })
            .onError(ErrorPolicy.skip())
            .parallel(3, order -> order)
            .to(saved::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    long sevens = IntStream.range(0, 1_000).filter(n -> n % 7 == 0).count();
    assertThat(result.skipped()).isEqualTo(sevens);
    assertThat(result.processed()).isEqualTo(1_000 - sevens).isEqualTo(saved.size());
    assertThat(result.stages().get(1))
        .extracting(StageProgress::skipped, StageProgress::failures, StageProgress::out)
        .containsExactly(sevens, sevens, 1_000 - sevens);
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void transientFailuresAreRetriedUntilTheySucceed() {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    List<Order> saved = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(orders(200))
            .keyedBy(Order::id)
            .mapAsync(
                8,
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
            .onError(ErrorPolicy.retry(3, Duration.ofMillis(1)))
            .to(saved::add)
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(saved).hasSize(200);
    assertThat(attempts.get("o-10")).hasValue(3);
    assertThat(attempts.get("o-11")).hasValue(1);
    assertThat(result.stages().get(1).failures()).isEqualTo(20 * 2);
    assertThat(result.processed()).isEqualTo(200);
  }

  @Test
  void exhaustedRetriesGoToTheDeadLetterSinkWithErrorAndAttemptCount() {
    List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
    List<List<Order>> saved = Collections.synchronizedList(new ArrayList<>());

    PipelineProgress result =
        Pipeline.from(orders(100))
            .keyedBy(Order::id)
            .batch(10, Duration.ofSeconds(10))
            .to(
                batch -> {
                  if (batch.get(0).amount() == 30) {
                    throw new IllegalStateException("constraint violated");
                  }
                  saved.add(batch);
                })
            .onError(ErrorPolicy.deadLetter(letters::add).withRetries(2, Duration.ZERO))
            .sinkNamed("save")
            .name("import")
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.pipeline()).isEqualTo("import");
    assertThat(letter.stage()).isEqualTo("save");
    assertThat(letter.attempts()).isEqualTo(2);
    assertThat(letter.error()).hasMessage("constraint violated");
    assertThat(letter.key()).isEqualTo("o-30,o-31,o-32,o-33,o-34,o-35,o-36,o-37,o-38,o-39");
    assertThat(letter.item()).isEqualTo(orders(100).subList(30, 40));
    assertThat(result.deadLettered()).isEqualTo(10);
    assertThat(result.processed()).isEqualTo(90);
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void aDeadLetterSinkThatFailsFailsThePipeline() {
    Pipeline pipeline =
        Pipeline.from(orders(10))
            .map(
                order -> {
                  throw new IllegalArgumentException("always");
                })
            .onError(
                ErrorPolicy.deadLetter(
                    letter -> {
                      throw new java.io.IOException("disk full");
                    }))
            .to(order -> {})
            .progressInterval(Duration.ZERO)
            .build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("the dead-letter sink refused item #0")
        .hasRootCauseMessage("disk full");
  }

  @Test
  void mixedOutcomesUnderManyWorkersStillBalanceExactly() {
    AtomicInteger flaky = new AtomicInteger();
    List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger saved = new AtomicInteger();

    PipelineProgress result =
        Pipeline.from(orders(20_000))
            .map(
                order -> {
                  if (order.amount() % 101 == 0) {
                    throw new IllegalArgumentException("skip me");
                  }
                  return order;
                })
            .onError(ErrorPolicy.skip())
            .mapAsync(
                32,
                order -> {
                  if (order.amount() % 13 == 0 && flaky.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("flaky");
                  }
                  return order;
                })
            .onError(ErrorPolicy.deadLetter(letters::add))
            .parallel(4, order -> order.amount())
            .batch(50, Duration.ofMillis(5))
            .to(2, batch -> saved.addAndGet(batch.size()))
            .progressInterval(Duration.ZERO)
            .build()
            .run();

    assertThat(result.read()).isEqualTo(20_000);
    assertThat(result.skipped())
        .isEqualTo(IntStream.range(0, 20_000).filter(n -> n % 101 == 0).count());
    assertThat(result.deadLettered()).isEqualTo(letters.size()).isPositive();
    assertThat(result.processed()).isEqualTo(saved.get());
    assertThat(result.processed() + result.skipped() + result.deadLettered() + result.dropped())
        .isEqualTo(result.read());
  }
}
