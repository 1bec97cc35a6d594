/** JMH benchmarks of Lintel side by side with the libraries its users would otherwise pick. */
@NullMarked
package dev.lintel.benchmarks;

import org.jspecify.annotations.NullMarked;
