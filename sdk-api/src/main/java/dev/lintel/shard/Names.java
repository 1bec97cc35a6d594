package dev.lintel.shard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The validation of shard ids, directory names and locations, in one place. */
final class Names {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private Names() {}

  /** Checks a shard id or a directory name: 1-128 letters, digits, {@code . _ : -}. */
  static String id(@Nullable String id, String what) {
    if (id == null) {
      throw new InvalidTopologyException(what + " is missing");
    }
    if (!ID.matcher(id).matches()) {
      throw new InvalidTopologyException(
          what
              + " '"
              + id
              + "' is invalid: use 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a"
              + " letter or digit");
    }
    return id;
  }

  /** Checks a location: not blank, at most 128 characters. */
  static String location(@Nullable String location, String what) {
    if (location == null || location.isBlank() || location.length() > 128) {
      throw new InvalidTopologyException(
          what + " '" + location + "' is invalid: use 1 to 128 characters, not all blank");
    }
    return location;
  }

  /** Checks a strategy's list of shard ids: not empty, each valid, no duplicates. */
  static List<String> distinctIds(@Nullable List<String> ids, String what) {
    if (ids == null || ids.isEmpty()) {
      throw new InvalidTopologyException(what + " are empty: name at least one shard");
    }
    Set<String> seen = new LinkedHashSet<>();
    List<String> copy = new ArrayList<>(ids.size());
    for (String id : ids) {
      id(id, "shard id in " + what);
      if (!seen.add(id)) {
        throw new InvalidTopologyException("shard '" + id + "' appears twice in " + what);
      }
      copy.add(id);
    }
    return List.copyOf(copy);
  }
}
