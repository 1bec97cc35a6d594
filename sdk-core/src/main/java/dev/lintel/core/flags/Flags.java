package dev.lintel.core.flags;

import dev.lintel.Registration;
import dev.lintel.flags.FeatureFlags;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.flags.FlagStore;
import dev.lintel.flags.Variant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates flags from a {@link FlagStore}, keeping each flag it read in a local map until the
 * store says it changed; with a Redis store, a change made on one node reaches every node's map
 * within moments. Evaluation never throws: an unknown flag, a broken definition or a failing store
 * yields the caller's fallback, and the failure is logged.
 *
 * <pre>{@code
 * Flags flags = Flags.using(RedisFlagStore.connect(uri));
 * if (flags.isEnabled("new-checkout", FlagContext.user(userId), false)) { ... }
 * }</pre>
 *
 * <p>Rollout buckets are Unleash's flexible rollout with stickiness on the user id and the flag's
 * name as group id, so a user who is in at 10% stays in at 20%, and the same users are in as with
 * Unleash. Variants use Unleash's variant seed over the total weight.
 *
 * <p>Thread-safe; a cached evaluation reads one map entry and hashes in place, allocating nothing.
 */
public final class Flags implements FeatureFlags, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Flags.class);

  /** Caches "the store has no such flag", so unknown flags do not reach the store every time. */
  private static final Object MISSING = new Object();

  private final FlagStore store;
  private final ConcurrentHashMap<String, Object> cache = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final LongAdder evaluations = new LongAdder();
  private final LongAdder unknown = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Registration subscription;

  private Flags(FlagStore store) {
    this.store = store;
    this.subscription = store.onChange(this::forget);
  }

  /**
   * Evaluates the flags of a store.
   *
   * @param store the store
   * @return the evaluator, listening for the store's changes until closed
   */
  public static Flags using(FlagStore store) {
    return new Flags(Objects.requireNonNull(store, "store"));
  }

  @Override
  public boolean isEnabled(String flag, FlagContext context, boolean fallback) {
    evaluations.increment();
    try {
      Flag definition = lookup(flag);
      if (definition == null) {
        unknown.increment();
        return fallback;
      }
      return isOn(definition, context.userId());
    } catch (RuntimeException e) {
      errors.increment();
      log.warn("Flag '{}' could not be evaluated; answering {}", flag, fallback, e);
      return fallback;
    }
  }

  @Override
  public String variant(String flag, FlagContext context, String fallback) {
    evaluations.increment();
    try {
      Flag definition = lookup(flag);
      String userId = context.userId();
      if (definition == null) {
        unknown.increment();
        return fallback;
      }
      if (userId == null || definition.variants().isEmpty() || !isOn(definition, userId)) {
        return fallback;
      }
      return pick(definition, userId);
    } catch (RuntimeException e) {
      errors.increment();
      log.warn("Variant of flag '{}' could not be evaluated; answering '{}'", flag, fallback, e);
      return fallback;
    }
  }

  /**
   * Evaluates a flag and tells why it answered as it did, for adapters such as an OpenFeature
   * provider. Gives the same answers as {@link #isEnabled} and {@link #variant}; unlike them, it
   * allocates its result. Never throws: a failing store yields {@link FlagEvaluation.Reason#ERROR}.
   *
   * @param flag the flag's name
   * @param context who the flag is evaluated for
   * @return the answer with its reason
   */
  public FlagEvaluation evaluate(String flag, FlagContext context) {
    evaluations.increment();
    try {
      Flag definition = lookup(flag);
      if (definition == null) {
        unknown.increment();
        return FlagEvaluation.unknown(flag);
      }
      String userId = context.userId();
      boolean on = isOn(definition, userId);
      boolean hasVariants = !definition.variants().isEmpty();
      String variant = on && userId != null && hasVariants ? pick(definition, userId) : null;
      return new FlagEvaluation(flag, on, variant, hasVariants, reason(definition, userId), null);
    } catch (RuntimeException e) {
      errors.increment();
      log.warn("Flag '{}' could not be evaluated", flag, e);
      return FlagEvaluation.error(flag, e);
    }
  }

  /** Why {@link #isOn} answers as it does for this user; follows its branches in order. */
  private static FlagEvaluation.Reason reason(Flag flag, @Nullable String userId) {
    if (!flag.enabled()) {
      return FlagEvaluation.Reason.DISABLED;
    }
    if (userId != null
        && (flag.deniedUsers().contains(userId) || flag.allowedUsers().contains(userId))) {
      return FlagEvaluation.Reason.TARGETING_MATCH;
    }
    if (flag.rolloutPercent() == 100 || userId == null || flag.rolloutPercent() == 0) {
      return FlagEvaluation.Reason.STATIC;
    }
    return FlagEvaluation.Reason.SPLIT;
  }

  /**
   * Counts this evaluator's work since it was built, for metrics. Counters only grow.
   *
   * @return the counters
   */
  public Stats stats() {
    return new Stats(evaluations.sum(), unknown.sum(), errors.sum());
  }

  /**
   * What a {@link Flags} evaluator counted.
   *
   * @param evaluations calls of {@link #isEnabled}, {@link #variant} and {@link #evaluate}
   * @param unknownFlags evaluations of a flag the store does not hold (answered with the fallback)
   * @param errors evaluations that failed, for example because the store was unreachable
   */
  public record Stats(long evaluations, long unknownFlags, long errors) {}

  private @Nullable Flag lookup(String name) {
    Object cached = cache.get(name);
    if (cached == null) {
      long seen = changes.get();
      Flag flag = store.get(name);
      cached = flag == null ? MISSING : flag;
      cache.put(name, cached);
      if (changes.get() != seen) { // a change raced with the read: do not keep what it read
        cache.remove(name, cached);
      }
    }
    return cached == MISSING ? null : (Flag) cached;
  }

  private static boolean isOn(Flag flag, @Nullable String userId) {
    if (!flag.enabled()) {
      return false;
    }
    if (userId != null) {
      if (flag.deniedUsers().contains(userId)) {
        return false;
      }
      if (flag.allowedUsers().contains(userId)) {
        return true;
      }
    }
    if (flag.rolloutPercent() == 100) {
      return true;
    }
    if (userId == null || flag.rolloutPercent() == 0) {
      return false;
    }
    return RolloutHash.normalized(flag.name(), userId, 100, 0) <= flag.rolloutPercent();
  }

  private static String pick(Flag flag, String userId) {
    List<Variant> variants = flag.variants();
    int total = 0;
    for (int i = 0; i < variants.size(); i++) {
      total += variants.get(i).weight();
    }
    int target = RolloutHash.normalized(flag.name(), userId, total, RolloutHash.VARIANT_SEED);
    int cumulative = 0;
    for (int i = 0; i < variants.size(); i++) {
      cumulative += variants.get(i).weight();
      if (target <= cumulative) {
        return variants.get(i).name();
      }
    }
    return variants.get(variants.size() - 1).name();
  }

  /** Drops the local copy of a flag, or of all flags for null. */
  private void forget(@Nullable String name) {
    changes.incrementAndGet();
    if (name == null) {
      cache.clear();
    } else {
      cache.remove(name);
    }
  }

  /** Stops listening to the store. */
  @Override
  public void close() {
    subscription.close();
  }
}
