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
    try {
      Flag definition = lookup(flag);
      return definition == null ? fallback : isOn(definition, context.userId());
    } catch (RuntimeException e) {
      log.warn("Flag '{}' could not be evaluated; answering {}", flag, fallback, e);
      return fallback;
    }
  }

  @Override
  public String variant(String flag, FlagContext context, String fallback) {
    try {
      Flag definition = lookup(flag);
      String userId = context.userId();
      if (definition == null
          || userId == null
          || definition.variants().isEmpty()
          || !isOn(definition, userId)) {
        return fallback;
      }
      return pick(definition, userId);
    } catch (RuntimeException e) {
      log.warn("Variant of flag '{}' could not be evaluated; answering '{}'", flag, fallback, e);
      return fallback;
    }
  }

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
