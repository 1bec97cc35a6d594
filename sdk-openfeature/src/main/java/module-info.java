/**
 * An OpenFeature provider backed by Lintel's feature flags. The OpenFeature SDK is required
 * transitively: its {@code FeatureProvider} and evaluation types are this module's API.
 */
module dev.lintel.openfeature {
  requires transitive dev.lintel.core;
  requires transitive dev.openfeature.sdk;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.lintel.openfeature;
}
