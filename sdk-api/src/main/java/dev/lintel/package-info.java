/**
 * The root of Lintel's public contracts: the exception hierarchy, registrations, the time source
 * and the lifecycle of components owned by a runtime.
 */
@NullMarked
package dev.lintel;

import org.jspecify.annotations.NullMarked;
