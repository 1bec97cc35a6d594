package dev.lintel.core.pipeline;

import java.util.List;
import java.util.stream.IntStream;

/** The items the pipeline tests push through: orders {@code o-<n>} of amount {@code n}. */
record Order(String id, int amount) {

  /** Orders {@code o-0} to {@code o-<count - 1>}, amount equal to their number. */
  static List<Order> orders(int count) {
    return IntStream.range(0, count).mapToObj(n -> new Order("o-" + n, n)).toList();
  }
}
