package dev.lintel.openfeature;

import dev.lintel.core.flags.FlagEvaluation;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Lintel {@link FlagEvaluation} into an OpenFeature {@link ProviderEvaluation} of each
 * type. A Lintel flag is a switch with optional string variants: a boolean evaluation answers the
 * switch (variant {@code on} or {@code off}); string, integer and double evaluations answer the
 * variant picked for the user, parsed as a number for the numeric types; an object evaluation
 * answers a structure {@code {"enabled": boolean, "variant": string}} (variant only when one was
 * picked).
 *
 * <p>Reasons: Lintel's own reasons map one to one ({@code DISABLED}, {@code TARGETING_MATCH},
 * {@code SPLIT}); a flag on for everyone is {@code STATIC}; a flag off because the context has no
 * user or the rollout is 0% is {@code DEFAULT}, as is a variant evaluation that found no variant
 * for the context. Errors answer the caller's default with reason {@code ERROR} and {@code
 * FLAG_NOT_FOUND}, {@code TYPE_MISMATCH} (a flag without variants asked for a string or number, or
 * a variant that is not a number) or {@code GENERAL} (the store failed).
 */
final class Resolutions {
  static final String ON = "on";
  static final String OFF = "off";

  private Resolutions() {}

  static ProviderEvaluation<Boolean> bool(FlagEvaluation evaluation, Boolean fallback) {
    ProviderEvaluation<Boolean> error = error(evaluation, fallback);
    if (error != null) {
      return error;
    }
    return ProviderEvaluation.<Boolean>builder()
        .value(evaluation.enabled())
        .variant(evaluation.enabled() ? ON : OFF)
        .reason(reason(evaluation))
        .build();
  }

  static ProviderEvaluation<String> string(FlagEvaluation evaluation, String fallback) {
    return variant(evaluation, fallback, "a string", variant -> variant);
  }

  static ProviderEvaluation<Integer> integer(FlagEvaluation evaluation, Integer fallback) {
    return variant(evaluation, fallback, "an integer", Integer::valueOf);
  }

  static ProviderEvaluation<Double> decimal(FlagEvaluation evaluation, Double fallback) {
    return variant(evaluation, fallback, "a double", Double::valueOf);
  }

  static ProviderEvaluation<Value> object(FlagEvaluation evaluation, Value fallback) {
    ProviderEvaluation<Value> error = error(evaluation, fallback);
    if (error != null) {
      return error;
    }
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("enabled", new Value(evaluation.enabled()));
    String variant = evaluation.variant();
    if (variant != null) {
      fields.put("variant", new Value(variant));
    }
    return ProviderEvaluation.<Value>builder()
        .value(new Value(new ImmutableStructure(fields)))
        .variant(variant != null ? variant : evaluation.enabled() ? ON : OFF)
        .reason(reason(evaluation))
        .build();
  }

  private static <T> ProviderEvaluation<T> variant(
      FlagEvaluation evaluation, T fallback, String typeName, Function<String, T> parse) {
    ProviderEvaluation<T> error = error(evaluation, fallback);
    if (error != null) {
      return error;
    }
    if (!evaluation.hasVariants()) {
      return failed(
          fallback,
          ErrorCode.TYPE_MISMATCH,
          "Flag '" + evaluation.flag() + "' has no variants; evaluate it as a boolean");
    }
    String variant = evaluation.variant();
    if (variant == null) {
      return ProviderEvaluation.<T>builder()
          .value(fallback)
          .reason(
              evaluation.reason() == FlagEvaluation.Reason.STATIC
                  ? Reason.DEFAULT.name()
                  : reason(evaluation))
          .build();
    }
    T value;
    try {
      value = parse.apply(variant);
    } catch (NumberFormatException e) {
      return failed(
          fallback,
          ErrorCode.TYPE_MISMATCH,
          "Variant '" + variant + "' of flag '" + evaluation.flag() + "' is not " + typeName);
    }
    return ProviderEvaluation.<T>builder()
        .value(value)
        .variant(variant)
        .reason(reason(evaluation))
        .build();
  }

  private static <T> @Nullable ProviderEvaluation<T> error(FlagEvaluation evaluation, T fallback) {
    return switch (evaluation.reason()) {
      case UNKNOWN ->
          failed(
              fallback,
              ErrorCode.FLAG_NOT_FOUND,
              "Flag '" + evaluation.flag() + "' is not in the flag store");
      case ERROR ->
          failed(
              fallback,
              ErrorCode.GENERAL,
              "Flag '" + evaluation.flag() + "' could not be evaluated: " + evaluation.error());
      default -> null;
    };
  }

  private static <T> ProviderEvaluation<T> failed(T fallback, ErrorCode code, String message) {
    return ProviderEvaluation.<T>builder()
        .value(fallback)
        .reason(Reason.ERROR.name())
        .errorCode(code)
        .errorMessage(message)
        .build();
  }

  private static String reason(FlagEvaluation evaluation) {
    return switch (evaluation.reason()) {
      case DISABLED -> Reason.DISABLED.name();
      case TARGETING_MATCH -> Reason.TARGETING_MATCH.name();
      case SPLIT -> Reason.SPLIT.name();
      case STATIC -> evaluation.enabled() ? Reason.STATIC.name() : Reason.DEFAULT.name();
      case UNKNOWN, ERROR -> Reason.ERROR.name();
    };
  }
}
