/**
 * The request pipeline, framework-agnostic: a small immutable model ({@link
 * dev.lintel.gateway.Request}, {@link dev.lintel.gateway.Response}, their {@link
 * dev.lintel.gateway.Headers} and typed {@link dev.lintel.gateway.AttributeKey attributes}), and
 * {@link dev.lintel.gateway.Filter}s in order around routed {@link dev.lintel.gateway.Handler}s.
 * Every type here is immutable or stateless and safe to share between threads; what a pipeline
 * keeps about a request in flight stays inside the pipeline. Adapters to HTTP servers live outside
 * the SDK core.
 */
@NullMarked
package dev.lintel.gateway;

import org.jspecify.annotations.NullMarked;
