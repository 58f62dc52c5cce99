package org.est4j.ca;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Which subjectAltNames a {@link Profile} lets through. {@link #ANY} (no {@code san} section)
 * allows every name; otherwise a name type is allowed only when its list is given, and each name
 * must match an entry of its list:
 *
 * <ul>
 *   <li>{@code dns_suffixes}: {@code example.com} allows example.com and every name under it;
 *       {@code .example.com} only names under it. Case-insensitive, on label boundaries.
 *   <li>{@code ip_ranges}: CIDR blocks, IPv4 ({@code 10.0.0.0/8}) or IPv6 ({@code fd00::/8}).
 *   <li>{@code email_domains}: the part after {@code @}, with the same rule as DNS suffixes.
 *   <li>{@code uri_prefixes}: plain string prefixes ({@code https://devices.example.com/}).
 * </ul>
 *
 * Other name types (directoryName, otherName, registeredID) are refused when a section is given.
 */
public record SanRules(
    boolean restricted,
    Optional<List<String>> dnsSuffixes,
    Optional<List<Cidr>> ipRanges,
    Optional<List<String>> emailDomains,
    Optional<List<String>> uriPrefixes) {

  public static final SanRules ANY =
      new SanRules(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public SanRules {
    dnsSuffixes = dnsSuffixes.map(l -> l.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    ipRanges = ipRanges.map(List::copyOf);
    emailDomains = emailDomains.map(l -> l.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    uriPrefixes = uriPrefixes.map(List::copyOf);
  }

  /** Rules from a {@code san} section: a name type whose list is empty is not allowed at all. */
  public static SanRules restrict(Optional<List<String>> dnsSuffixes, Optional<List<Cidr>> ipRanges,
      Optional<List<String>> emailDomains, Optional<List<String>> uriPrefixes) {
    return new SanRules(true, dnsSuffixes, ipRanges, emailDomains, uriPrefixes);
  }

  /** Null when every name is allowed, else the refusal naming the rule and the name. */
  String refusal(GeneralNames names) {
    if (!restricted) {
      return null;
    }
    for (GeneralName n : names.getNames()) {
      String why = refusal(n);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private String refusal(GeneralName n) {
    switch (n.getTagNo()) {
      case GeneralName.dNSName: {
        String dns = text(n);
        return check(dnsSuffixes, "dns_suffixes", "DNS:" + dns, s -> underDomain(dns, s));
      }
      case GeneralName.rfc822Name: {
        String email = text(n);
        int at = email.lastIndexOf('@');
        String domain = at < 0 ? email : email.substring(at + 1);
        return check(emailDomains, "email_domains", "email:" + email, s -> underDomain(domain, s));
      }
      case GeneralName.uniformResourceIdentifier: {
        String uri = text(n);
        return check(uriPrefixes, "uri_prefixes", "URI:" + uri, uri::startsWith);
      }
      case GeneralName.iPAddress: {
        byte[] ip = ASN1OctetString.getInstance(n.getName()).getOctets();
        String shown = "IP:" + Cidr.show(ip);
        if (ipRanges.isEmpty()) {
          return "san.ip_ranges: " + shown + " is not allowed (this profile allows no IP addresses)";
        }
        for (Cidr c : ipRanges.get()) {
          if (c.contains(ip)) {
            return null;
          }
        }
        return "san.ip_ranges: " + shown + " is not in " + ipRanges.get();
      }
      default:
        return "san: a subjectAltName of type " + typeName(n.getTagNo())
            + " is not allowed (only DNS, IP, email and URI names are, per the san rules)";
    }
  }

  private static String check(Optional<List<String>> rule, String key, String shown,
      java.util.function.Predicate<String> matches) {
    if (rule.isEmpty()) {
      return "san." + key + ": " + shown + " is not allowed (this profile allows no such names)";
    }
    for (String entry : rule.get()) {
      if (matches.test(entry)) {
        return null;
      }
    }
    return "san." + key + ": " + shown + " is not allowed (allowed: " + String.join(", ", rule.get()) + ")";
  }

  /** {@code suffix} "example.com" allows the domain and its subdomains; ".example.com" subdomains only. */
  static boolean underDomain(String name, String suffix) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (suffix.startsWith(".")) {
      return n.endsWith(suffix) && n.length() > suffix.length();
    }
    return n.equals(suffix) || n.endsWith("." + suffix);
  }

  private static String text(GeneralName n) {
    return ((ASN1String) n.getName()).getString();
  }

  private static String typeName(int tag) {
    switch (tag) {
      case GeneralName.otherName: return "otherName";
      case GeneralName.x400Address: return "x400Address";
      case GeneralName.directoryName: return "directoryName";
      case GeneralName.ediPartyName: return "ediPartyName";
      case GeneralName.registeredID: return "registeredID";
      default: return Integer.toString(tag);
    }
  }

  /** An IPv4 or IPv6 block in CIDR notation. */
  public record Cidr(byte[] network, int prefix, String text) {

    /**
     * @throws IllegalArgumentException for anything but an IP literal with a prefix length
     */
    public static Cidr parse(String text) {
      String t = text.trim();
      int slash = t.indexOf('/');
      String address = slash < 0 ? t : t.substring(0, slash);
      byte[] bytes = literal(address)
          .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP range like 10.0.0.0/8 or fd00::/8"));
      int prefix;
      try {
        prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + bytes.length * 8);
      }
      return new Cidr(bytes, prefix, t);
    }

    boolean contains(byte[] ip) {
      if (ip.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((ip[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    /** An IP literal only: never a host name (InetAddress would look it up in DNS). */
    private static Optional<byte[]> literal(String s) {
      boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
      if (!v4 && !v6) {
        return Optional.empty();
      }
      try {
        return Optional.of(InetAddress.getByName(s).getAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }

    static String show(byte[] ip) {
      try {
        return InetAddress.getByAddress(ip).getHostAddress();
      } catch (UnknownHostException e) {
        return "(" + ip.length + " bytes)";
      }
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
