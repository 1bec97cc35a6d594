package dev.lintel.core.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.Registration;
import dev.lintel.ShuttingDownException;
import dev.lintel.core.cqrs.Messages.CancelOrder;
import dev.lintel.core.cqrs.Messages.OrderId;
import dev.lintel.core.cqrs.Messages.PlaceOrder;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.DuplicateHandlerException;
import dev.lintel.cqrs.Interceptor;
import dev.lintel.cqrs.NoHandlerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalCommandBusTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void sendReturnsTheHandlersTypedResult() {
    LocalCommandBus bus = LocalCommandBus.create();
    bus.register(PlaceOrder.class, command -> new OrderId(command.customer() + "-1"));

    OrderId id = bus.send(new PlaceOrder("ada", 2));

    assertThat(id).isEqualTo(new OrderId("ada-1"));
  }

  @Test
  void missingHandlerNamesTheTypeAndWhatIsRegistered() {
    LocalCommandBus bus = LocalCommandBus.create();
    bus.register(PlaceOrder.class, command -> new OrderId("x"));

    assertThatThrownBy(() -> bus.send(new CancelOrder(new OrderId("x"))))
        .isInstanceOfSatisfying(
            NoHandlerException.class,
            e -> assertThat(e.messageType()).isEqualTo(CancelOrder.class.getName()))
        .hasMessageContaining("No command handler is registered for " + CancelOrder.class.getName())
        .hasMessageContaining("registered command types: [" + PlaceOrder.class.getName() + "]");
  }

  @Test
  void duplicateRegistrationNamesTheTypeAndKeepsTheFirstHandler() {
    LocalCommandBus bus = LocalCommandBus.create();
    bus.register(PlaceOrder.class, command -> new OrderId("first"));

    assertThatThrownBy(() -> bus.register(PlaceOrder.class, command -> new OrderId("second")))
        .isInstanceOf(DuplicateHandlerException.class)
        .hasMessageContaining(PlaceOrder.class.getName());
    assertThat(bus.send(new PlaceOrder("ada", 1))).isEqualTo(new OrderId("first"));
  }

  @Test
  void closingARegistrationRemovesOnlyThatHandler() {
    LocalCommandBus bus = LocalCommandBus.create();
    Registration place = bus.register(PlaceOrder.class, command -> new OrderId("x"));
    bus.register(CancelOrder.class, command -> true);

    place.close();
    place.close();

    assertThatThrownBy(() -> bus.send(new PlaceOrder("ada", 1)))
        .isInstanceOf(NoHandlerException.class);
    assertThat(bus.send(new CancelOrder(new OrderId("x")))).isTrue();
    bus.register(PlaceOrder.class, command -> new OrderId("again"));
    assertThat(bus.send(new PlaceOrder("ada", 1))).isEqualTo(new OrderId("again"));
  }

  @Test
  void handlerExceptionReachesTheCallerUnchanged() {
    LocalCommandBus bus = LocalCommandBus.create();
    IllegalStateException failure = new IllegalStateException("out of stock");
    bus.register(
        PlaceOrder.class,
        command -> {
          throw failure;
        });

    assertThatThrownBy(() -> bus.send(new PlaceOrder("ada", 1))).isSameAs(failure);
  }

  @Test
  void nullCommandIsRejectedBeforeDispatch() {
    LocalCommandBus bus = LocalCommandBus.create();

    assertThatThrownBy(() -> bus.send(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void sendAsyncRunsTheHandlerOnTheExecutor() throws Exception {
    LocalCommandBus bus = LocalCommandBus.builder().executor(executor).build();
    AtomicReference<String> handlerThread = new AtomicReference<>();
    bus.register(
        PlaceOrder.class,
        command -> {
          handlerThread.set(Thread.currentThread().getName());
          return new OrderId("async");
        });

    OrderId id = bus.sendAsync(new PlaceOrder("ada", 1)).get(5, TimeUnit.SECONDS);

    assertThat(id).isEqualTo(new OrderId("async"));
    assertThat(handlerThread.get()).isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void sendAsyncCompletesExceptionallyWithTheOriginalException() {
    LocalCommandBus bus = LocalCommandBus.builder().executor(executor).build();
    IllegalArgumentException failure = new IllegalArgumentException("bad quantity");
    bus.register(
        PlaceOrder.class,
        command -> {
          throw failure;
        });

    CompletableFuture<OrderId> future = bus.sendAsync(new PlaceOrder("ada", -1));

    AtomicReference<Throwable> seen = new AtomicReference<>();
    future.handle((id, error) -> seen.compareAndSet(null, error)).join();
    assertThat(seen.get()).isSameAs(failure);
    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(failure);
  }

  @Test
  void sendAsyncWithoutHandlerFailsTheFutureInsteadOfThrowing() {
    LocalCommandBus bus = LocalCommandBus.builder().executor(executor).build();

    CompletableFuture<OrderId> future = bus.sendAsync(new PlaceOrder("ada", 1));

    assertThat(future).isCompletedExceptionally();
    assertThatThrownBy(future::join).hasCauseInstanceOf(NoHandlerException.class);
  }

  @Test
  void executorRejectionFailsTheFutureAndLeavesNothingInFlight() {
    LocalCommandBus bus =
        LocalCommandBus.builder()
            .executor(
                task -> {
                  throw new java.util.concurrent.RejectedExecutionException("full");
                })
            .build();
    bus.register(PlaceOrder.class, command -> new OrderId("x"));

    CompletableFuture<OrderId> future = bus.sendAsync(new PlaceOrder("ada", 1));

    assertThatThrownBy(future::join)
        .hasCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(bus.inFlight()).isZero();
  }

  @Test
  void interceptorsRunInOrderAroundTheHandlerAndSeeMessageAndResult() {
    List<String> trace = Collections.synchronizedList(new ArrayList<>());
    LocalCommandBus bus =
        LocalCommandBus.builder()
            .interceptor(tracing("outer", trace))
            .interceptor(tracing("inner", trace))
            .build();
    bus.register(
        PlaceOrder.class,
        command -> {
          trace.add("handler");
          return new OrderId("id-7");
        });

    bus.send(new PlaceOrder("ada", 1));

    assertThat(trace)
        .containsExactly(
            "outer before PlaceOrder",
            "inner before PlaceOrder",
            "handler",
            "inner after OrderId[value=id-7]",
            "outer after OrderId[value=id-7]");
  }

  @Test
  void interceptorCanShortCircuitWithoutCallingTheHandler() {
    AtomicInteger handled = new AtomicInteger();
    LocalCommandBus bus =
        LocalCommandBus.builder()
            .interceptor(
                (command, chain) ->
                    command instanceof PlaceOrder order && order.quantity() == 0
                        ? new OrderId("cached")
                        : chain.proceed(command))
            .build();
    bus.register(
        PlaceOrder.class,
        command -> {
          handled.incrementAndGet();
          return new OrderId("handled");
        });

    assertThat(bus.send(new PlaceOrder("ada", 0))).isEqualTo(new OrderId("cached"));
    assertThat(bus.send(new PlaceOrder("ada", 1))).isEqualTo(new OrderId("handled"));
    assertThat(handled).hasValue(1);
  }

  @Test
  void interceptorsRegisteredBeforeHandlersApplyToEveryHandler() {
    AtomicInteger intercepted = new AtomicInteger();
    LocalCommandBus bus =
        LocalCommandBus.builder()
            .interceptor(
                (command, chain) -> {
                  intercepted.incrementAndGet();
                  return chain.proceed(command);
                })
            .build();
    bus.register(PlaceOrder.class, command -> new OrderId("x"));
    bus.register(CancelOrder.class, command -> true);

    bus.send(new PlaceOrder("ada", 1));
    bus.send(new CancelOrder(new OrderId("x")));

    assertThat(intercepted).hasValue(2);
  }

  @Test
  void validatingInterceptorRejectsBeforeTheHandlerRuns() {
    AtomicInteger handled = new AtomicInteger();
    LocalCommandBus bus =
        LocalCommandBus.builder()
            .interceptor(
                Interceptors.<Command<?>>validating(
                    command -> {
                      if (command instanceof PlaceOrder order && order.quantity() <= 0) {
                        throw new IllegalArgumentException("quantity must be positive");
                      }
                    }))
            .build();
    bus.register(
        PlaceOrder.class,
        command -> {
          handled.incrementAndGet();
          return new OrderId("x");
        });

    assertThatThrownBy(() -> bus.send(new PlaceOrder("ada", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quantity must be positive");
    assertThat(handled).hasValue(0);
    assertThat(bus.send(new PlaceOrder("ada", 3))).isEqualTo(new OrderId("x"));
  }

  @Test
  void timingInterceptorReportsSuccessesAndFailures() {
    List<String> records = Collections.synchronizedList(new ArrayList<>());
    LocalCommandBus bus =
        LocalCommandBus.builder()
            .interceptor(
                Interceptors.timing(
                    (type, nanos, ok) -> {
                      assertThat(nanos).isNotNegative();
                      records.add(type.getSimpleName() + ":" + ok);
                    }))
            .build();
    bus.register(PlaceOrder.class, command -> new OrderId("x"));
    bus.register(
        CancelOrder.class,
        command -> {
          throw new IllegalStateException("already shipped");
        });

    bus.send(new PlaceOrder("ada", 1));
    assertThatThrownBy(() -> bus.send(new CancelOrder(new OrderId("x"))))
        .hasMessage("already shipped");

    assertThat(records).containsExactly("PlaceOrder:true", "CancelOrder:false");
  }

  @Test
  void loggingInterceptorPassesResultsAndFailuresThrough() {
    LocalCommandBus bus = LocalCommandBus.builder().interceptor(Interceptors.logging()).build();
    bus.register(PlaceOrder.class, command -> new OrderId("logged"));
    bus.register(
        CancelOrder.class,
        command -> {
          throw new IllegalStateException("nope");
        });

    assertThat(bus.send(new PlaceOrder("ada", 1))).isEqualTo(new OrderId("logged"));
    assertThatThrownBy(() -> bus.send(new CancelOrder(new OrderId("x")))).hasMessage("nope");
  }

  @Test
  void manyThreadsDispatchConcurrentlyAndEveryCommandIsHandledOnce() throws Exception {
    int threads = 16;
    int perThread = 20_000;
    AtomicInteger handled = new AtomicInteger();
    LocalCommandBus bus =
        LocalCommandBus.builder().interceptor(Interceptors.timing((type, nanos, ok) -> {})).build();
    bus.register(
        PlaceOrder.class,
        command -> {
          handled.incrementAndGet();
          return new OrderId(command.customer() + ":" + command.quantity());
        });
    ExecutorService senders = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> correct = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String customer = "c" + t;
      correct.add(
          senders.submit(
              () -> {
                start.await();
                int ok = 0;
                for (int i = 0; i < perThread; i++) {
                  if (bus.send(new PlaceOrder(customer, i)).value().equals(customer + ":" + i)) {
                    ok++;
                  }
                }
                return ok;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> future : correct) {
      total += future.get(60, TimeUnit.SECONDS);
    }
    senders.shutdown();

    assertThat(total).isEqualTo(threads * perThread);
    assertThat(handled).hasValue(threads * perThread);
    assertThat(bus.inFlight()).isZero();
  }

  @Test
  void concurrentRegistrationsOfOneTypeHaveExactlyOneWinner() throws Exception {
    int threads = 16;
    LocalCommandBus bus = LocalCommandBus.create();
    ExecutorService registrars = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger winners = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "handler-" + t;
      done.add(
          registrars.submit(
              () -> {
                start.await();
                try {
                  bus.register(PlaceOrder.class, command -> new OrderId(name));
                  winners.incrementAndGet();
                } catch (DuplicateHandlerException e) {
                  duplicates.incrementAndGet();
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> future : done) {
      future.get(10, TimeUnit.SECONDS);
    }
    registrars.shutdown();

    assertThat(winners).hasValue(1);
    assertThat(duplicates).hasValue(threads - 1);
    assertThat(bus.send(new PlaceOrder("ada", 1)).value()).startsWith("handler-");
  }

  @Test
  void shutdownRefusesNewCommandsAndAwaitsThoseInFlight() throws Exception {
    LocalCommandBus bus = LocalCommandBus.builder().executor(executor).build();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    bus.register(
        PlaceOrder.class,
        command -> {
          entered.countDown();
          await(release);
          return new OrderId("slow");
        });
    Future<OrderId> slow = executor.submit(() -> bus.send(new PlaceOrder("ada", 1)));
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    bus.shutdown();

    assertThatThrownBy(() -> bus.send(new PlaceOrder("bob", 1)))
        .isInstanceOf(ShuttingDownException.class)
        .hasMessageContaining(PlaceOrder.class.getName());
    assertThatThrownBy(() -> bus.sendAsync(new PlaceOrder("bob", 1)).join())
        .hasCauseInstanceOf(ShuttingDownException.class);
    assertThat(bus.inFlight()).isEqualTo(1);
    assertThat(bus.awaitTermination(Duration.ofMillis(50))).isFalse();
    release.countDown();
    assertThat(bus.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(slow.get()).isEqualTo(new OrderId("slow"));
  }

  @Test
  void executorCanBeSetOnlyOnce() {
    LocalCommandBus.Builder builder = LocalCommandBus.builder().executor(executor);

    assertThatThrownBy(() -> builder.executor(executor))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("executor was already set");
  }

  private static Interceptor<Command<?>> tracing(String name, List<String> trace) {
    return (command, chain) -> {
      trace.add(name + " before " + command.getClass().getSimpleName());
      Object result = chain.proceed(command);
      trace.add(name + " after " + result);
      return result;
    };
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
