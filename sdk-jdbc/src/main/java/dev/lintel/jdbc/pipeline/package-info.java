/** Pipeline sinks on JDBC: batch inserts of a batching stage's lists, one transaction per batch. */
@NullMarked
package dev.lintel.jdbc.pipeline;

import org.jspecify.annotations.NullMarked;
