/** The consumer module's types: commands, events, a plugin and the host that wires them. */
@NullMarked
package dev.lintel.moduletests;

import org.jspecify.annotations.NullMarked;
