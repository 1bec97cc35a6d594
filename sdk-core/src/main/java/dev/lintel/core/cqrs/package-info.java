/** In-process command and query buses with interceptor chains composed once at registration. */
@NullMarked
package dev.lintel.core.cqrs;

import org.jspecify.annotations.NullMarked;
