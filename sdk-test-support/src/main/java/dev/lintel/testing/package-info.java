/**
 * Test support shared by Lintel's modules: the real servers integration tests run against, and
 * throwaway server processes for tests that break things on purpose. Not published.
 */
@NullMarked
package dev.lintel.testing;

import org.jspecify.annotations.NullMarked;
