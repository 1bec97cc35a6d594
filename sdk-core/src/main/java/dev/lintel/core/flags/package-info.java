/**
 * Feature flags evaluated in process with Unleash-compatible rollout, and the in-memory flag store.
 */
@NullMarked
package dev.lintel.core.flags;

import org.jspecify.annotations.NullMarked;
