/** The request pipeline's rate limit shared by every node through one Lua script on Redis. */
@NullMarked
package dev.lintel.redis.gateway;

import org.jspecify.annotations.NullMarked;
