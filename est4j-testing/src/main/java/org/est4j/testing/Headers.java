package org.est4j.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Look-ups in ordered header lists, where names compare case-insensitively (RFC 9110 §5.1). */
final class Headers {
  private Headers() {}

  static int indexOf(List<Map.Entry<String, String>> headers, String name) {
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).getKey().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  static Optional<String> first(List<Map.Entry<String, String>> headers, String name) {
    int i = indexOf(headers, name);
    return i < 0 ? Optional.empty() : Optional.of(headers.get(i).getValue());
  }

  static List<String> all(List<Map.Entry<String, String>> headers, String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .toList();
  }
}
