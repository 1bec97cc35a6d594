/** Not API: parts the packages of sdk-jdbc share. Unexported; may change in any release. */
@NullMarked
package dev.lintel.jdbc.internal;

import org.jspecify.annotations.NullMarked;
