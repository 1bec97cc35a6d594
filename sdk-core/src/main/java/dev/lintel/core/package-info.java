/**
 * The Lintel runtime: one builder that wires the components, owns their lifecycle (start, health,
 * graceful shutdown) and hands them out.
 */
@NullMarked
package dev.lintel.core;

import org.jspecify.annotations.NullMarked;
