/**
 * The request pipeline, framework-agnostic: a small {@link dev.lintel.gateway.Request} and {@link
 * dev.lintel.gateway.Response} model, {@link dev.lintel.gateway.Filter}s in order around routed
 * {@link dev.lintel.gateway.Handler}s. Adapters to HTTP servers live outside the SDK core.
 */
@NullMarked
package dev.lintel.gateway;

import org.jspecify.annotations.NullMarked;
