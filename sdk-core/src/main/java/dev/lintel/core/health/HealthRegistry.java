package dev.lintel.core.health;

import dev.lintel.Registration;
import dev.lintel.health.Health;
import dev.lintel.health.HealthCheck;
import dev.lintel.health.HealthChecks;
import dev.lintel.health.HealthGroup;
import dev.lintel.health.HealthReport;
import dev.lintel.health.HealthReport.CheckOutcome;
import dev.lintel.health.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds health checks and runs those of a group concurrently, each under its timeout.
 *
 * <p>A report never waits longer than the longest timeout of its checks. A check that does not
 * answer in time is {@link HealthStatus#DOWN} with a timeout detail; while it is still running,
 * later reports do not start it again but report it DOWN at once, so a hung probe ties up one
 * thread, not one per report. A check that throws is DOWN with the exception's type and message.
 * Changes of a check's status are logged (WARN when it leaves UP, INFO when it returns).
 *
 * <p>Thread-safe. Checks run on daemon threads the registry owns; {@link #close()} stops them.
 */
public final class HealthRegistry implements HealthChecks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);

  private final Duration defaultTimeout;
  private final ExecutorService executor;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  private HealthRegistry(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
    this.executor = Executors.newCachedThreadPool(new DaemonThreads());
  }

  /**
   * Creates a registry whose checks time out after 5 seconds unless registered with their own
   * timeout.
   *
   * @return a new registry
   */
  public static HealthRegistry create() {
    return create(Duration.ofSeconds(5));
  }

  /**
   * Creates a registry with the given default timeout.
   *
   * @param defaultTimeout how long a check may take unless registered with its own timeout
   * @return a new registry
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public static HealthRegistry create(Duration defaultTimeout) {
    return new HealthRegistry(requirePositive(defaultTimeout));
  }

  @Override
  public Registration register(String name, Set<HealthGroup> groups, HealthCheck check) {
    return register(name, groups, defaultTimeout, check);
  }

  /**
   * Registers a check with its own timeout.
   *
   * @param name a unique, stable name
   * @param groups the groups whose reports include the check; must not be empty
   * @param timeout how long the check may take before it is reported DOWN
   * @param check the probe
   * @return a registration that removes the check when closed
   * @throws IllegalArgumentException if the name is blank or taken, groups is empty or the timeout
   *     is not positive
   */
  public Registration register(
      String name, Set<HealthGroup> groups, Duration timeout, HealthCheck check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (name.isBlank()) {
      throw new IllegalArgumentException("health check name must not be blank");
    }
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("health check '" + name + "' must belong to a group");
    }
    Entry entry = new Entry(name, EnumSet.copyOf(groups), requirePositive(timeout), check);
    if (entries.putIfAbsent(name, entry) != null) {
      throw new IllegalArgumentException(
          "a health check named '" + name + "' is already registered");
    }
    return () -> entries.remove(name, entry);
  }

  /**
   * Runs the checks of one group concurrently and reports their outcomes.
   *
   * @param group the group
   * @return the report; UP when the group has no checks
   */
  public HealthReport report(HealthGroup group) {
    List<Entry> members = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.groups.contains(group)) {
        members.add(entry);
      }
    }
    members.sort(Comparator.comparing(entry -> entry.name));
    List<Run> runs = new ArrayList<>(members.size());
    for (Entry entry : members) {
      runs.add(entry.run(executor));
    }
    List<CheckOutcome> outcomes = new ArrayList<>(members.size());
    HealthStatus overall = HealthStatus.UP;
    for (int i = 0; i < members.size(); i++) {
      CheckOutcome outcome = members.get(i).await(runs.get(i));
      outcomes.add(outcome);
      overall = overall.worst(outcome.status());
    }
    return new HealthReport(group, overall, outcomes);
  }

  /**
   * Stops the threads that run checks; checks still running are interrupted. Reports after closing
   * show every check DOWN, not run.
   */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static Duration requirePositive(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "health check timeout must be positive but was " + timeout);
    }
    return timeout;
  }

  /** One execution of a check; {@code finishedNanos} is set when it completes. */
  private static final class Run {
    final long startedNanos = System.nanoTime();
    final CompletableFuture<Health> result = new CompletableFuture<>();
    volatile long finishedNanos;
  }

  private static final class Entry {
    final String name;
    final Set<HealthGroup> groups;
    final Duration timeout;
    final HealthCheck check;
    final AtomicReference<@Nullable Run> current = new AtomicReference<>();
    final AtomicReference<HealthStatus> lastStatus = new AtomicReference<>(HealthStatus.UP);

    Entry(String name, Set<HealthGroup> groups, Duration timeout, HealthCheck check) {
      this.name = name;
      this.groups = groups;
      this.timeout = timeout;
      this.check = check;
    }

    /** Starts a run, or returns the one still in progress. */
    Run run(ExecutorService executor) {
      Run previous = current.get();
      if (previous != null && !previous.result.isDone()) {
        return previous;
      }
      Run run = new Run();
      if (!current.compareAndSet(previous, run)) {
        return Objects.requireNonNull(current.get());
      }
      try {
        executor.execute(() -> execute(run));
      } catch (RejectedExecutionException closed) {
        run.result.complete(Health.down("not run: the health registry is closed"));
      }
      return run;
    }

    private void execute(Run run) {
      try {
        Health health = check.check();
        run.finishedNanos = System.nanoTime();
        if (health == null) {
          run.result.complete(Health.down("check returned null"));
        } else {
          run.result.complete(health);
        }
      } catch (Throwable e) {
        run.finishedNanos = System.nanoTime();
        run.result.completeExceptionally(e);
      }
    }

    CheckOutcome await(Run run) {
      long waitNanos = timeout.toNanos() - (System.nanoTime() - run.startedNanos);
      Health health;
      try {
        health = run.result.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        Duration running = Duration.ofNanos(System.nanoTime() - run.startedNanos);
        return observe(
            new CheckOutcome(
                name,
                HealthStatus.DOWN,
                running,
                "timed out: no answer within " + timeout.toMillis() + " ms"));
      } catch (ExecutionException e) {
        health = Health.down(describe(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        health = Health.down("interrupted while waiting for the check");
      }
      long finished = run.finishedNanos == 0 ? System.nanoTime() : run.finishedNanos;
      Duration took = Duration.ofNanos(finished - run.startedNanos);
      return observe(new CheckOutcome(name, health.status(), took, health.detail()));
    }

    private CheckOutcome observe(CheckOutcome outcome) {
      HealthStatus before = lastStatus.getAndSet(outcome.status());
      if (before != outcome.status()) {
        if (outcome.status() == HealthStatus.UP) {
          log.info("Health check '{}' is UP again", name);
        } else {
          log.warn("Health check '{}' is {}: {}", name, outcome.status(), outcome.detail());
        }
      }
      return outcome;
    }

    private static String describe(@Nullable Throwable error) {
      if (error == null) {
        return "failed";
      }
      String message = error.getMessage();
      return message == null
          ? error.getClass().getName()
          : error.getClass().getName() + ": " + message;
    }
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "lintel-health-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
