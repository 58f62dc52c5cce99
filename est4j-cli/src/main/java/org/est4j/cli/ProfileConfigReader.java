package org.est4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.est4j.ca.Profile;
import org.est4j.ca.SanRules;

/**
 * Reads one entry of {@code profiles}: {@code validity}, {@code key_types}, {@code key_usage},
 * {@code extended_key_usage}, {@code san} ({@code dns_suffixes}, {@code ip_ranges},
 * {@code email_domains}, {@code uri_prefixes}), {@code subject} ({@code required},
 * {@code forbidden}), {@code crl_distribution_point}.
 */
final class ProfileConfigReader {
  private static final Set<String> KEYS = Set.of("validity", "key_types", "key_usage", "extended_key_usage", "san",
      "subject", "crl_distribution_point");
  private static final Set<String> SAN = Set.of("dns_suffixes", "ip_ranges", "email_domains", "uri_prefixes");
  private static final Set<String> SUBJECT = Set.of("required", "forbidden");

  private ProfileConfigReader() {}

  static Profile read(String name, ConfigNode n) throws ConfigException {
    n.allowOnly(KEYS);
    Profile.Builder b = Profile.builder(name);
    Optional<String> validity = n.string("validity");
    if (validity.isPresent()) {
      b.validity(ConfigDurations.parse(n.key("validity"), validity.get()));
    }
    apply(n, "key_types", () -> {
      List<String> types = n.strings("key_types");
      if (types.isEmpty()) {
        throw new ConfigException(n.key("key_types"), "needs at least one key type (omit it to allow every type)");
      }
      b.keyTypes(types);
    });
    if (n.has("key_usage")) {
      apply(n, "key_usage", () -> b.keyUsage(n.strings("key_usage")));
    }
    if (n.has("extended_key_usage")) {
      apply(n, "extended_key_usage", () -> b.extendedKeyUsage(n.strings("extended_key_usage")));
    }
    Optional<ConfigNode> san = n.child("san");
    if (san.isPresent()) {
      b.san(san(san.get()));
    }
    Optional<ConfigNode> subject = n.child("subject");
    if (subject.isPresent()) {
      ConfigNode s = subject.get();
      s.allowOnly(SUBJECT);
      apply(s, "required", () -> b.subjectRequired(s.strings("required")));
      apply(s, "forbidden", () -> b.subjectForbidden(s.strings("forbidden")));
    }
    Optional<String> crl = n.string("crl_distribution_point").filter(x -> !x.isBlank());
    if (crl.isPresent()) {
      apply(n, "crl_distribution_point", () -> b.crlDistributionPoint(crl.get()));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.key("subject"), e.getMessage());
    }
  }

  private static SanRules san(ConfigNode s) throws ConfigException {
    s.allowOnly(SAN);
    Optional<List<SanRules.Cidr>> ranges = Optional.empty();
    if (s.has("ip_ranges")) {
      List<SanRules.Cidr> list = new ArrayList<>();
      for (String r : s.strings("ip_ranges")) {
        try {
          list.add(SanRules.Cidr.parse(r));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(s.key("ip_ranges"), e.getMessage());
        }
      }
      ranges = Optional.of(list);
    }
    return SanRules.restrict(list(s, "dns_suffixes"), ranges, list(s, "email_domains"), list(s, "uri_prefixes"));
  }

  private static Optional<List<String>> list(ConfigNode s, String name) throws ConfigException {
    if (!s.has(name)) {
      return Optional.empty();
    }
    List<String> values = s.strings(name);
    for (String v : values) {
      if (v.isBlank()) {
        throw new ConfigException(s.key(name), "has an empty entry, which would allow every name");
      }
    }
    return Optional.of(values);
  }

  private interface Step {
    void run() throws ConfigException;
  }

  /** Runs a builder step, turning its IllegalArgumentException into an error naming the key. */
  private static void apply(ConfigNode n, String name, Step step) throws ConfigException {
    if (!n.has(name)) {
      return;
    }
    try {
      step.run();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.key(name), e.getMessage());
    }
  }
}
