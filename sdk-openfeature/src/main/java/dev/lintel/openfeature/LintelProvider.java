package dev.lintel.openfeature;

import dev.lintel.Registration;
import dev.lintel.core.flags.Flags;
import dev.lintel.flags.Flag;
import dev.lintel.flags.FlagContext;
import dev.lintel.flags.FlagStore;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFeature {@code FeatureProvider} that evaluates Lintel flags from a {@link FlagStore}.
 *
 * <pre>{@code
 * OpenFeatureAPI api = OpenFeatureAPI.getInstance();
 * api.setProviderAndWait(LintelProvider.using(RedisFlagStore.connect(uri)));
 * boolean on = api.getClient().getBooleanValue("new-checkout", false, new ImmutableContext(userId));
 * }</pre>
 *
 * <p><b>Answers</b> are those of Lintel's {@link Flags} (Unleash-compatible rollout sticky on the
 * user, allow and deny lists, weighted variants); how each OpenFeature type and reason is derived
 * is described on the package's evaluation rules: booleans answer the switch, strings and numbers
 * the variant, objects {@code {"enabled", "variant"}}. An unknown flag answers the caller's default
 * with {@code FLAG_NOT_FOUND}, a flag without variants asked for a string or number {@code
 * TYPE_MISMATCH}, a failing store {@code GENERAL}; nothing throws.
 *
 * <p><b>Context</b>: the evaluation context's targeting key is the Lintel user id (no key, or a
 * blank one, is an anonymous caller); a string attribute {@code sessionId} is the session id, and
 * every other string, number or boolean attribute is a context property (its text), which a flag
 * with that {@link dev.lintel.flags.Flag#stickiness() stickiness} sticks to. Other attribute types
 * are ignored.
 *
 * <p><b>Events</b>: the SDK emits {@code PROVIDER_READY} once {@link #initialize} returned. While
 * initialized, every change the store reports (with a Redis store, a change made on any node) is
 * emitted as {@code PROVIDER_CONFIGURATION_CHANGED} naming the flag, after the provider dropped its
 * cached copy, so a handler that evaluates again sees the new definition.
 *
 * <p><b>Lifecycle</b>: {@link #initialize} starts listening to the store and {@link #shutdown}
 * stops; the store itself belongs to the host, which closes it. Thread-safe.
 */
public final class LintelProvider extends EventProvider {
  private static final Logger log = LoggerFactory.getLogger(LintelProvider.class);
  private static final Metadata METADATA = () -> "lintel";

  private final FlagStore store;
  private final Object lifecycle = new Object();
  private volatile @Nullable Running running;

  private LintelProvider(FlagStore store) {
    this.store = store;
  }

  /**
   * Creates a provider over a store the host owns and closes.
   *
   * @param store the flag store, for example {@code RedisFlagStore.connect(uri)}
   * @return the provider; hand it to {@code OpenFeatureAPI.setProviderAndWait}
   */
  public static LintelProvider using(FlagStore store) {
    return new LintelProvider(Objects.requireNonNull(store, "store"));
  }

  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  /**
   * Starts evaluating and listening for the store's changes; idempotent.
   *
   * @param context the SDK's global context; not used
   */
  @Override
  public void initialize(EvaluationContext context) {
    synchronized (lifecycle) {
      if (running != null) {
        return;
      }
      Flags flags = Flags.using(store); // subscribes first, so it forgets before events go out
      Registration changes = store.onChange(this::changed);
      running = new Running(flags, changes);
      log.info("Lintel OpenFeature provider listening to {}", store);
    }
  }

  /** Stops listening to the store; the store stays open. Idempotent. */
  @Override
  public void shutdown() {
    synchronized (lifecycle) {
      Running current = running;
      running = null;
      if (current != null) {
        current.changes.close();
        current.flags.close();
      }
    }
    super.shutdown();
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return Resolutions.bool(flags().evaluate(key, user(ctx)), defaultValue);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    return Resolutions.string(flags().evaluate(key, user(ctx)), defaultValue);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return Resolutions.integer(flags().evaluate(key, user(ctx)), defaultValue);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return Resolutions.decimal(flags().evaluate(key, user(ctx)), defaultValue);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return Resolutions.object(flags().evaluate(key, user(ctx)), defaultValue);
  }

  private Flags flags() {
    Running current = running;
    if (current == null) {
      throw new ProviderNotReadyError("The Lintel provider is not initialized");
    }
    return current.flags;
  }

  private static FlagContext user(@Nullable EvaluationContext context) {
    if (context == null) {
      return FlagContext.anonymous();
    }
    String key = context.getTargetingKey();
    String session = null;
    Map<String, String> properties = new HashMap<>();
    for (Map.Entry<String, Value> attribute : context.asMap().entrySet()) {
      String text = text(attribute.getValue());
      if (text == null || attribute.getKey().equals("targetingKey")) {
        continue;
      }
      if (attribute.getKey().equals(Flag.SESSION_ID)) {
        session = text;
      } else {
        properties.put(attribute.getKey(), text);
      }
    }
    return new FlagContext(key == null || key.isBlank() ? null : key, session, properties);
  }

  /** A string, number or boolean attribute as text; null for any other type. */
  private static @Nullable String text(@Nullable Value value) {
    if (value == null) {
      return null;
    }
    if (value.isString()) {
      return value.asString();
    }
    return value.isNumber() || value.isBoolean() ? String.valueOf(value.asObject()) : null;
  }

  private void changed(@Nullable String flag) {
    ProviderEventDetails details =
        ProviderEventDetails.builder()
            .flagsChanged(flag == null ? List.of() : List.of(flag))
            .message(flag == null ? "every flag may have changed" : "flag '" + flag + "' changed")
            .build();
    emitProviderConfigurationChanged(details);
  }

  /** What exists while the provider is initialized. */
  private record Running(Flags flags, Registration changes) {}
}
