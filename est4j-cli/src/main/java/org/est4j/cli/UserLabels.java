package org.est4j.cli;

import java.util.Set;
import java.util.TreeSet;
import org.est4j.protocol.Labels;
import org.est4j.server.store.StoredUser;

/**
 * The labels a Basic user may enroll on ({@code users[].labels} in the file, {@code estserver
 * users add --labels}): label names, and {@code /} for the unlabelled path (a label can never
 * contain a slash, so the two cannot be confused).
 */
final class UserLabels {
  private UserLabels() {}

  /** Null when {@code label} may be listed, else why not. */
  static String problem(String label) {
    if (label.equals(StoredUser.UNLABELLED) || Labels.isValid(label)) {
      return null;
    }
    return "'" + label + "' is not a valid label (use '/' for the unlabelled path)";
  }

  /**
   * Parses {@code L1,L2}; labels that are not configured are refused when {@code config} allows
   * only configured labels.
   *
   * @throws IllegalArgumentException naming {@code flag}
   */
  static Set<String> parse(String flag, String list, ServerConfig config) {
    Set<String> out = new TreeSet<>();
    for (String l : list.split(",")) {
      String label = l.strip();
      if (label.isEmpty()) {
        continue;
      }
      String problem = problem(label);
      if (problem != null) {
        throw new IllegalArgumentException(flag + ": " + problem);
      }
      if (!label.equals(StoredUser.UNLABELLED) && config.onlyConfiguredLabels() && !config.labels().containsKey(label)) {
        throw new IllegalArgumentException(flag + ": '" + label + "' is not configured (only_configured_labels is on)");
      }
      out.add(label);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(flag + ": give at least one label ('/' for the unlabelled path)");
    }
    return Set.copyOf(out);
  }
}
