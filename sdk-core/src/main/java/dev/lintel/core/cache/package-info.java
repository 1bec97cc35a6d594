/**
 * The tiered cache: Caffeine in process (L1) in front of an optional shared level (L2), with
 * single-flight loads, distributed load locks, early refresh and write policies.
 */
@NullMarked
package dev.lintel.core.cache;

import org.jspecify.annotations.NullMarked;
