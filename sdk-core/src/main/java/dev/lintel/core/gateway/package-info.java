/**
 * The request pipeline: routing, versioning, JWT authentication, rate limiting, circuit breaking,
 * response caching, request logging and transforms.
 */
@NullMarked
package dev.lintel.core.gateway;

import org.jspecify.annotations.NullMarked;
