package dev.lintel.core.pipeline;

import dev.lintel.pipeline.CheckpointedSink;
import dev.lintel.pipeline.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The stages a {@link Flow} chain has added so far, shared by the flows of one chain. */
final class Plan {
  final Source<?> source;
  final List<StageSpec> specs = new ArrayList<>();
  @Nullable Function<Object, String> keyOf;
  @Nullable CheckpointedSink<?> checkpointedSink;
  private boolean built;

  Plan(Source<?> source) {
    this.source = source;
    specs.add(StageSpec.source());
  }

  /** The spec a flow or builder made at {@code index} may still be changed or extended. */
  StageSpec current(int index) {
    if (built) {
      throw new IllegalStateException("the pipeline was already built; start a new Flow");
    }
    if (index != specs.size() - 1) {
      throw new IllegalStateException(
          "a stage was already added after "
              + specs.get(index)
              + "; chain calls on the Flow the previous call returned");
    }
    return specs.get(index);
  }

  /** Freezes the plan and gives repeated default names a number ({@code map}, {@code map-2}). */
  List<StageSpec> freeze() {
    built = true;
    Map<String, StageSpec> byName = new HashMap<>();
    for (StageSpec spec : specs) {
      if (spec.named) {
        StageSpec other = byName.put(spec.name, spec);
        if (other != null) {
          throw new IllegalArgumentException("two stages are named '" + spec.name + "'");
        }
      }
    }
    for (StageSpec spec : specs) {
      if (!spec.named) {
        String name = spec.name;
        for (int n = 2; byName.containsKey(name); n++) {
          name = spec.name + "-" + n;
        }
        spec.name = name;
        byName.put(name, spec);
      }
    }
    return List.copyOf(specs);
  }
}
