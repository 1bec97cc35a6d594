package dev.lintel.core.plugin;

/**
 * A version {@code MAJOR.MINOR.PATCH[-prerelease]}, ordered as semver orders it (a prerelease sorts
 * before its release; prereleases compare as text).
 */
record SemanticVersion(int major, int minor, int patch, String prerelease)
    implements Comparable<SemanticVersion> {

  static SemanticVersion parse(String text) {
    String core = text;
    String pre = "";
    int dash = text.indexOf('-');
    if (dash >= 0) {
      core = text.substring(0, dash);
      pre = text.substring(dash + 1);
    }
    String[] parts = core.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: '" + text + "'");
    }
    try {
      return new SemanticVersion(
          Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), pre);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: '" + text + "'", e);
    }
  }

  @Override
  public int compareTo(SemanticVersion other) {
    int byCore =
        major != other.major
            ? Integer.compare(major, other.major)
            : minor != other.minor
                ? Integer.compare(minor, other.minor)
                : Integer.compare(patch, other.patch);
    if (byCore != 0) {
      return byCore;
    }
    if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
      return Boolean.compare(prerelease.isEmpty(), other.prerelease.isEmpty());
    }
    return prerelease.compareTo(other.prerelease);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + prerelease);
  }
}
