package dev.lintel.core.flags;

import dev.lintel.Registration;
import dev.lintel.flags.FeatureFlags;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.flags.FlagStore;
import dev.lintel.flags.Variant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 * <p>Rollout buckets are Unleash's flexible rollout: the flag's group id (its name unless set) and
 * its stickiness value (the user id unless set: a session id or a context property), so a context
 * that is in at 10% stays in at 20%, and the same contexts are in as with Unleash given the same
 * group id and stickiness. Variants use Unleash's variant seed over the total weight. An unknown
 * flag answers the fallback, is counted, and is logged at WARN once per name.
 *
 * <p>Thread-safe; a cached evaluation reads one map entry and hashes in place, allocating nothing.
 */
public final class Flags implements FeatureFlags, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Flags.class);

  /** The most unknown flag names logged; later ones are only counted. */
  private static final int MAX_WARNED_UNKNOWN = 1_000;

  /** Caches "the store has no such flag", so unknown flags do not reach the store every time. */
  private static final Object MISSING = new Object();

  private final FlagStore store;
  private final ConcurrentHashMap<String, Object> cache = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final LongAdder evaluations = new LongAdder();
  private final LongAdder unknown = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Set<String> warnedUnknown = ConcurrentHashMap.newKeySet();
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
        unknownFlag(flag);
        return fallback;
      }
      return isOn(definition, context);
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
      if (definition == null) {
        unknownFlag(flag);
        return fallback;
      }
      String sticky = context.stickinessValue(definition.stickiness());
      if (sticky == null || definition.variants().isEmpty() || !isOn(definition, context)) {
        return fallback;
      }
      return pick(definition, sticky);
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
        unknownFlag(flag);
        return FlagEvaluation.unknown(flag);
      }
      String sticky = context.stickinessValue(definition.stickiness());
      boolean on = isOn(definition, context);
      boolean hasVariants = !definition.variants().isEmpty();
      String variant = on && sticky != null && hasVariants ? pick(definition, sticky) : null;
      return new FlagEvaluation(flag, on, variant, hasVariants, reason(definition, context), null);
    } catch (RuntimeException e) {
      errors.increment();
      log.warn("Flag '{}' could not be evaluated", flag, e);
      return FlagEvaluation.error(flag, e);
    }
  }

  /** Why {@link #isOn} answers as it does for this context; follows its branches in order. */
  private static FlagEvaluation.Reason reason(Flag flag, FlagContext context) {
    if (!flag.enabled()) {
      return FlagEvaluation.Reason.DISABLED;
    }
    String userId = context.userId();
    if (userId != null
        && (flag.deniedUsers().contains(userId) || flag.allowedUsers().contains(userId))) {
      return FlagEvaluation.Reason.TARGETING_MATCH;
    }
    if (flag.rolloutPercent() == 100
        || flag.rolloutPercent() == 0
        || context.stickinessValue(flag.stickiness()) == null) {
      return FlagEvaluation.Reason.STATIC;
    }
    return FlagEvaluation.Reason.SPLIT;
  }

  /**
   * Counts an unknown flag, and logs it at WARN the first time its name is asked for (for at most
   * {@link #MAX_WARNED_UNKNOWN} names, so that made-up names cannot grow memory).
   */
  private void unknownFlag(String name) {
    unknown.increment();
    if (warnedUnknown.size() < MAX_WARNED_UNKNOWN && warnedUnknown.add(name)) {
      log.warn(
          "Flag '{}' is not defined in the store; callers get their fallback (logged once per"
              + " flag, counted in stats().unknownFlags())",
          name);
    }
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

  private static boolean isOn(Flag flag, FlagContext context) {
    if (!flag.enabled()) {
      return false;
    }
    String userId = context.userId();
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
    String sticky = context.stickinessValue(flag.stickiness());
    if (sticky == null || flag.rolloutPercent() == 0) {
      return false;
    }
    return RolloutHash.normalized(flag.groupId(), sticky, 100, 0) <= flag.rolloutPercent();
  }

  private static String pick(Flag flag, String sticky) {
    List<Variant> variants = flag.variants();
    int total = 0;
    for (int i = 0; i < variants.size(); i++) {
      total += variants.get(i).weight();
    }
    int target = RolloutHash.normalized(flag.groupId(), sticky, total, RolloutHash.VARIANT_SEED);
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
