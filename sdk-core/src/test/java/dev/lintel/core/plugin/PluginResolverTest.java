package dev.lintel.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lintel.core.plugin.ResolutionProblem.Cycle;
import dev.lintel.core.plugin.ResolutionProblem.DuplicateId;
import dev.lintel.core.plugin.ResolutionProblem.MalformedVersion;
import dev.lintel.core.plugin.ResolutionProblem.MissingDependency;
import dev.lintel.core.plugin.ResolutionProblem.UnresolvedDependency;
import dev.lintel.core.plugin.ResolutionProblem.VersionMismatch;
import dev.lintel.plugin.PluginDependency;
import dev.lintel.plugin.PluginDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The resolver alone: descriptors in, start order and problems out. */
class PluginResolverTest {

  private static PluginDescriptor plugin(String id, PluginDependency... dependencies) {
    return version(id, "1.0.0", dependencies);
  }

  private static PluginDescriptor version(
      String id, String version, PluginDependency... dependencies) {
    return PluginDescriptor.of(id, version, id).dependsOn(dependencies);
  }

  private static PluginDependency on(String id) {
    return PluginDependency.requires(id, "*");
  }

  private static Resolution resolve(PluginDescriptor... descriptors) {
    return PluginResolver.resolve(List.of(descriptors));
  }

  /** The problem of a plugin, checking that it and its message name the plugin. */
  private static ResolutionProblem problem(Resolution resolution, String id) {
    ResolutionProblem problem = resolution.problem(id);
    assertThat(problem).as("problem of '%s'", id).isNotNull();
    assertThat(problem.pluginId()).isEqualTo(id);
    assertThat(problem.message()).contains("'" + id + "'");
    return problem;
  }

  @Test
  void nothingResolvesToNothing() {
    Resolution resolution = PluginResolver.resolve(List.of());

    assertThat(resolution.startOrder()).isEmpty();
    assertThat(resolution.problems()).isEmpty();
  }

  @Test
  void dependenciesStartFirstAndTiesGoToTheSmallestIdWhateverTheInputOrder() {
    List<PluginDescriptor> descriptors =
        List.of(
            plugin("web", on("auth")),
            plugin("zeta"),
            version("auth", "1.4.2", PluginDependency.requires("crypto", ">=2.0.0 <3.0.0")),
            version("crypto", "2.1.0"),
            plugin("alpha", on("zeta")));
    List<PluginDescriptor> reversed = new ArrayList<>(descriptors);
    Collections.reverse(reversed);

    Resolution resolution = PluginResolver.resolve(descriptors);

    assertThat(resolution.startOrder()).containsExactly("crypto", "auth", "web", "zeta", "alpha");
    assertThat(resolution.problems()).isEmpty();
    assertThat(PluginResolver.resolve(reversed)).isEqualTo(resolution);
  }

  @Test
  void theResolutionCannotBeChanged() {
    Resolution resolution = resolve(plugin("a"), plugin("b", on("missing")));

    assertThatThrownBy(() -> resolution.startOrder().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> resolution.problems().remove("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aDuplicateIdNamesItAndWhereEachCopyWasAndBlocksItsDependents() {
    Resolution resolution =
        resolve(version("auth", "1.0.0"), plugin("web", on("auth")), version("auth", "1.1.0"));

    assertThat(problem(resolution, "auth"))
        .isEqualTo(new DuplicateId("auth", List.of(0, 2)))
        .extracting(ResolutionProblem::message)
        .asString()
        .contains("more than once");
    assertThat(problem(resolution, "web")).isEqualTo(new UnresolvedDependency("web", "auth"));
    assertThat(resolution.startOrder()).isEmpty();
  }

  @Test
  void aMissingRequiredDependencyNamesBothPlugins() {
    Resolution resolution = resolve(plugin("web", PluginDependency.requires("auth", "^1.0.0")));

    ResolutionProblem problem = problem(resolution, "web");
    assertThat(problem)
        .isEqualTo(new MissingDependency("web", PluginDependency.requires("auth", "^1.0.0")));
    assertThat(problem.message()).contains("'auth' ^1.0.0").contains("not installed");
  }

  @Test
  void aVersionOutsideTheRangeNamesBothPluginsAndBothVersions() {
    Resolution resolution =
        resolve(
            plugin("web", PluginDependency.requires("auth", "^2.0.0")), version("auth", "1.9.0"));

    ResolutionProblem problem = problem(resolution, "web");
    assertThat(problem).isInstanceOf(VersionMismatch.class);
    assertThat(problem.message()).contains("'auth' ^2.0.0").contains("1.9.0");
    assertThat(resolution.startOrder()).containsExactly("auth");
  }

  @Test
  void aMalformedRangeNamesThePluginAndTheRange() {
    Resolution resolution =
        resolve(plugin("web", PluginDependency.requires("auth", "^one")), plugin("auth"));

    ResolutionProblem problem = problem(resolution, "web");
    assertThat(problem).isInstanceOf(MalformedVersion.class);
    assertThat(problem.message()).contains("'auth'").contains("malformed version range '^one'");
  }

  @Test
  void theFirstBadDependencyInDeclarationOrderIsTheOneReported() {
    Resolution resolution =
        resolve(
            plugin(
                "web",
                PluginDependency.requires("auth", "^2.0.0"),
                on("missing"),
                PluginDependency.requires("other", "*")),
            plugin("auth"));

    assertThat(problem(resolution, "web")).isInstanceOf(VersionMismatch.class);
  }

  @Test
  void anOptionalDependencyThatIsMissingIsIgnored() {
    Resolution resolution = resolve(plugin("web", PluginDependency.optional("metrics", "^2.0.0")));

    assertThat(resolution.startOrder()).containsExactly("web");
    assertThat(resolution.problems()).isEmpty();
  }

  @Test
  void anOptionalDependencyThatIsInstalledStartsFirstAndMustBeInRange() {
    Resolution inRange =
        resolve(plugin("a-web", PluginDependency.optional("metrics", "^1.0.0")), plugin("metrics"));
    Resolution outOfRange =
        resolve(
            plugin("a-web", PluginDependency.optional("metrics", ">=2.1.0")),
            version("metrics", "2.0.9"));

    assertThat(inRange.startOrder()).containsExactly("metrics", "a-web");
    assertThat(problem(outOfRange, "a-web"))
        .isEqualTo(
            new VersionMismatch("a-web", PluginDependency.optional("metrics", ">=2.1.0"), "2.0.9"));
    assertThat(outOfRange.startOrder()).containsExactly("metrics");
  }

  @Test
  void eachPluginOnACycleGetsTheCycleFromItselfAndItsDependentsAreBlocked() {
    Resolution resolution =
        resolve(
            plugin("a", on("b")),
            plugin("b", on("c")),
            plugin("c", on("a")),
            plugin("d", on("a")),
            plugin("e"));

    assertThat(problem(resolution, "a")).isEqualTo(new Cycle("a", List.of("a", "b", "c", "a")));
    assertThat(problem(resolution, "b")).isEqualTo(new Cycle("b", List.of("b", "c", "a", "b")));
    assertThat(problem(resolution, "c")).isEqualTo(new Cycle("c", List.of("c", "a", "b", "c")));
    assertThat(problem(resolution, "a").message()).contains("a -> b -> c -> a");
    assertThat(problem(resolution, "d")).isEqualTo(new UnresolvedDependency("d", "a"));
    assertThat(resolution.startOrder()).containsExactly("e");
  }

  @Test
  void aPluginThatDependsOnItselfIsACycleOfOne() {
    Resolution resolution = resolve(plugin("narcissus", on("narcissus")), plugin("other"));

    assertThat(problem(resolution, "narcissus"))
        .isEqualTo(new Cycle("narcissus", List.of("narcissus", "narcissus")));
    assertThat(resolution.startOrder()).containsExactly("other");
  }

  @Test
  void cyclesThatShareAPluginReportTheShortestCycleThroughEachMember() {
    Resolution resolution =
        resolve(plugin("a", on("b")), plugin("b", on("a"), on("c")), plugin("c", on("b")));

    assertThat(problem(resolution, "a")).isEqualTo(new Cycle("a", List.of("a", "b", "a")));
    assertThat(problem(resolution, "b")).isEqualTo(new Cycle("b", List.of("b", "a", "b")));
    assertThat(problem(resolution, "c")).isEqualTo(new Cycle("c", List.of("c", "b", "c")));
  }

  @Test
  void anInstalledOptionalDependencyCanCloseACycle() {
    Resolution resolution =
        resolve(plugin("a", PluginDependency.optional("b", "*")), plugin("b", on("a")));

    assertThat(problem(resolution, "a")).isEqualTo(new Cycle("a", List.of("a", "b", "a")));
    assertThat(problem(resolution, "b")).isInstanceOf(Cycle.class);
  }

  @Test
  void aCycleIsReportedEvenWhenAMemberAlsoNeedsABrokenPlugin() {
    Resolution resolution =
        resolve(plugin("a", on("b"), on("x")), plugin("b", on("a")), plugin("x", on("gone")));

    assertThat(problem(resolution, "x")).isInstanceOf(MissingDependency.class);
    assertThat(problem(resolution, "a")).isEqualTo(new Cycle("a", List.of("a", "b", "a")));
    assertThat(problem(resolution, "b")).isInstanceOf(Cycle.class);
  }

  @Test
  void aLoopThroughAPluginThatFailedOnItsOwnIsNoCycleButBlocksTheOthers() {
    Resolution resolution =
        resolve(plugin("a", on("b")), plugin("b", on("c")), plugin("c", on("a"), on("gone")));

    assertThat(problem(resolution, "c")).isInstanceOf(MissingDependency.class);
    assertThat(problem(resolution, "b")).isEqualTo(new UnresolvedDependency("b", "c"));
    assertThat(problem(resolution, "a")).isEqualTo(new UnresolvedDependency("a", "b"));
  }

  @Test
  void aBlockedPluginNamesItsFirstBrokenDependencyAndComesAfterItsProblem() {
    Resolution resolution =
        resolve(
            plugin("z", on("ok"), on("y"), on("x")),
            plugin("y", on("x")),
            plugin("x", on("gone")),
            plugin("ok"));

    assertThat(problem(resolution, "z")).isEqualTo(new UnresolvedDependency("z", "y"));
    assertThat(problem(resolution, "y")).isEqualTo(new UnresolvedDependency("y", "x"));
    assertThat(resolution.problems().keySet()).containsExactly("x", "y", "z");
    assertThat(resolution.startOrder()).containsExactly("ok");
  }

  @Test
  void aLongChainIntoACycleIsResolvedWithoutRecursion() {
    int length = 20_000;
    List<PluginDescriptor> descriptors = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      String next = i + 1 < length ? String.format("p%05d", i + 1) : "cycle-a";
      descriptors.add(plugin(String.format("p%05d", i), on(next)));
    }
    descriptors.add(plugin("cycle-a", on("cycle-b")));
    descriptors.add(plugin("cycle-b", on("cycle-a")));

    Resolution resolution = PluginResolver.resolve(descriptors);

    assertThat(resolution.startOrder()).isEmpty();
    assertThat(resolution.problems()).hasSize(length + 2);
    assertThat(problem(resolution, "cycle-a"))
        .isEqualTo(new Cycle("cycle-a", List.of("cycle-a", "cycle-b", "cycle-a")));
    assertThat(problem(resolution, "p19999"))
        .isEqualTo(new UnresolvedDependency("p19999", "cycle-a"));
    assertThat(problem(resolution, "p00000"))
        .isEqualTo(new UnresolvedDependency("p00000", "p00001"));
  }

  @Test
  void aLongChainStartsFromItsEnd() {
    int length = 20_000;
    List<PluginDescriptor> descriptors = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      String id = String.format("p%05d", i);
      expected.add(0, id);
      descriptors.add(i + 1 < length ? plugin(id, on(String.format("p%05d", i + 1))) : plugin(id));
    }

    assertThat(PluginResolver.resolve(descriptors).startOrder()).isEqualTo(expected);
  }

  /**
   * Random acyclic graphs whose ids are unrelated to their topology, given in a random order: the
   * order must put every dependency first, and among the plugins whose dependencies have started
   * always take the smallest id (checked by a naive reference), whatever the input order.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2024})
  void largeRandomAcyclicGraphsAreOrderedDependenciesFirstAndSmallestIdFirst(long seed) {
    Random random = new Random(seed);
    int size = 800;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add("p" + Integer.toString(random.nextInt(1_000_000_000), 36) + "-" + i);
    }
    Map<String, List<String>> dependencies = new HashMap<>();
    List<PluginDescriptor> descriptors = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Set<String> needs = new TreeSet<>();
      int count = i == 0 ? 0 : random.nextInt(Math.min(i, 6) + 1);
      for (int k = 0; k < count; k++) {
        needs.add(ids.get(random.nextInt(i))); // only earlier ones: acyclic
      }
      List<PluginDependency> declared = new ArrayList<>();
      for (String need : needs) {
        declared.add(
            random.nextBoolean()
                ? PluginDependency.requires(need, "^1.0.0")
                : PluginDependency.optional(need, "*"));
      }
      if (random.nextInt(10) == 0) {
        declared.add(PluginDependency.optional("absent-" + i, "*"));
      }
      dependencies.put(ids.get(i), List.copyOf(needs));
      descriptors.add(plugin(ids.get(i), declared.toArray(PluginDependency[]::new)));
    }
    Collections.shuffle(descriptors, random);
    List<PluginDescriptor> reshuffled = new ArrayList<>(descriptors);
    Collections.shuffle(reshuffled, random);

    Resolution resolution = PluginResolver.resolve(descriptors);

    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.startOrder()).hasSize(size).doesNotHaveDuplicates();
    assertThat(resolution.startOrder()).isEqualTo(smallestFirstOrder(dependencies));
    assertThat(PluginResolver.resolve(reshuffled)).isEqualTo(resolution);
  }

  /** The reference: repeatedly take the smallest id whose dependencies have all been taken. */
  private static List<String> smallestFirstOrder(Map<String, List<String>> dependencies) {
    List<String> order = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    TreeSet<String> left = new TreeSet<>(dependencies.keySet());
    while (!left.isEmpty()) {
      String next =
          left.stream()
              .filter(id -> taken.containsAll(dependencies.get(id)))
              .findFirst()
              .orElseThrow();
      order.add(next);
      taken.add(next);
      left.remove(next);
    }
    return order;
  }

  @Test
  void aRandomGraphWithCyclesPutsEveryPluginInExactlyOneOutcome() {
    Random random = new Random(7);
    List<PluginDescriptor> descriptors = new ArrayList<>();
    int size = 300;
    for (int i = 0; i < size; i++) {
      List<PluginDependency> declared = new ArrayList<>();
      if (i < 3) { // one cycle for sure: q000 -> q001 -> q002 -> q000
        declared.add(on(String.format("q%03d", (i + 1) % 3)));
      }
      for (int k = i < 3 ? 0 : random.nextInt(3); k > 0; k--) {
        declared.add(on(String.format("q%03d", random.nextInt(size + 20)))); // some missing
      }
      descriptors.add(plugin(String.format("q%03d", i), declared.toArray(PluginDependency[]::new)));
    }

    Resolution resolution = PluginResolver.resolve(descriptors);

    Set<String> all = new TreeSet<>(resolution.startOrder());
    all.addAll(resolution.problems().keySet());
    assertThat(all).hasSize(size);
    assertThat(resolution.problems().values())
        .hasAtLeastOneElementOfType(Cycle.class)
        .hasAtLeastOneElementOfType(MissingDependency.class)
        .hasAtLeastOneElementOfType(UnresolvedDependency.class);
    assertThat(resolution.startOrder()).isNotEmpty();
    Set<String> started = new HashSet<>();
    for (String id : resolution.startOrder()) {
      PluginDescriptor descriptor = descriptors.get(Integer.parseInt(id.substring(1)));
      for (PluginDependency dependency : descriptor.dependencies()) {
        assertThat(started).as("%s needs %s", id, dependency.id()).contains(dependency.id());
      }
      started.add(id);
    }
    for (ResolutionProblem problem : resolution.problems().values()) {
      problem(resolution, problem.pluginId());
      if (problem instanceof UnresolvedDependency unresolved) {
        PluginDescriptor blocked =
            descriptors.get(Integer.parseInt(unresolved.pluginId().substring(1)));
        assertThat(blocked.dependencies())
            .extracting(PluginDependency::id)
            .contains(unresolved.dependencyId());
        assertThat(resolution.problems()).containsKey(unresolved.dependencyId());
      }
      if (problem instanceof Cycle cycle) {
        List<String> path = cycle.path();
        assertThat(path.get(0)).isEqualTo(cycle.pluginId());
        assertThat(path.get(path.size() - 1)).isEqualTo(cycle.pluginId());
        for (int i = 0; i + 1 < path.size(); i++) {
          PluginDescriptor step = descriptors.get(Integer.parseInt(path.get(i).substring(1)));
          assertThat(step.dependencies())
              .extracting(PluginDependency::id)
              .contains(path.get(i + 1));
        }
      }
    }
  }
}
