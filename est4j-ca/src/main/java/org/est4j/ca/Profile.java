package org.est4j.ca;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a CA may issue under one name (a certificate profile): leaf validity, the key types it
 * accepts, KeyUsage and ExtendedKeyUsage, subjectAltName and subject rules, and a CRL
 * distribution point. {@link #check} runs before signing; each refusal is a {@link CaException}
 * with status 403 whose message names the profile, the rule and the offending value.
 *
 * <p>{@link #DEFAULT} is est4j's profile before profiles existed: the CA's validity, every key type
 * the CA supports, digitalSignature (+ keyEncipherment for RSA), serverAuth + clientAuth, no
 * name rules, no CRL distribution point. Immutable.
 */
public final class Profile {
  public static final Profile DEFAULT = builder("default").build();

  private static final Map<String, Integer> KEY_USAGES = new LinkedHashMap<>();
  private static final Map<String, KeyPurposeId> EKUS = new LinkedHashMap<>();

  static {
    KEY_USAGES.put("digitalsignature", KeyUsage.digitalSignature);
    KEY_USAGES.put("nonrepudiation", KeyUsage.nonRepudiation);
    KEY_USAGES.put("contentcommitment", KeyUsage.nonRepudiation);
    KEY_USAGES.put("keyencipherment", KeyUsage.keyEncipherment);
    KEY_USAGES.put("dataencipherment", KeyUsage.dataEncipherment);
    KEY_USAGES.put("keyagreement", KeyUsage.keyAgreement);
    EKUS.put("serverauth", KeyPurposeId.id_kp_serverAuth);
    EKUS.put("clientauth", KeyPurposeId.id_kp_clientAuth);
    EKUS.put("codesigning", KeyPurposeId.id_kp_codeSigning);
    EKUS.put("emailprotection", KeyPurposeId.id_kp_emailProtection);
    EKUS.put("timestamping", KeyPurposeId.id_kp_timeStamping);
    EKUS.put("ocspsigning", KeyPurposeId.id_kp_OCSPSigning);
  }

  private final String name;
  private final Optional<Duration> validity;
  private final List<KeyRule> keyTypes;
  private final Optional<Integer> keyUsage;
  private final List<KeyPurposeId> extendedKeyUsage;
  private final SanRules san;
  private final List<ASN1ObjectIdentifier> subjectRequired;
  private final List<ASN1ObjectIdentifier> subjectForbidden;
  private final Optional<String> crlDistributionPoint;

  private Profile(Builder b) {
    this.name = b.name;
    this.validity = b.validity;
    this.keyTypes = List.copyOf(b.keyTypes);
    this.keyUsage = b.keyUsage;
    this.extendedKeyUsage = List.copyOf(b.extendedKeyUsage);
    this.san = b.san;
    this.subjectRequired = List.copyOf(b.subjectRequired);
    this.subjectForbidden = List.copyOf(b.subjectForbidden);
    this.crlDistributionPoint = b.crlDistributionPoint;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** Leaf validity; empty: the CA's own default. Always capped by the issuing CA's notAfter. */
  public Optional<Duration> validity() {
    return validity;
  }

  /** Allowed key types; empty: every type the CA supports. */
  public List<KeyRule> keyTypes() {
    return keyTypes;
  }

  /** KeyUsage bits (BC {@link KeyUsage} constants); empty: digitalSignature, + keyEncipherment for RSA. */
  public Optional<Integer> keyUsage() {
    return keyUsage;
  }

  /** ExtendedKeyUsage purposes; never empty (default serverAuth + clientAuth). */
  public List<KeyPurposeId> extendedKeyUsage() {
    return extendedKeyUsage;
  }

  public SanRules san() {
    return san;
  }

  public Optional<String> crlDistributionPoint() {
    return crlDistributionPoint;
  }

  /**
   * Checks a request against the profile's key, subject and SAN rules.
   *
   * @throws CaException status 403 naming the profile, the rule and the offending value
   */
  public void check(CertificateRequest request) throws CaException {
    if (!keyTypes.isEmpty() && keyTypes.stream().noneMatch(r -> r.matches(request.publicKey()))) {
      throw refuse("key_types: " + KeyRule.describe(request.publicKey()) + " is not allowed (allowed: "
          + String.join(", ", keyTypes.stream().map(KeyRule::text).toList()) + ")");
    }
    X500Name subject = request.subject();
    for (ASN1ObjectIdentifier type : subjectRequired) {
      if (subject.getRDNs(type).length == 0) {
        throw refuse("subject.required: the subject has no " + rdnName(type) + " (subject: '" + subject + "')");
      }
    }
    for (ASN1ObjectIdentifier type : subjectForbidden) {
      RDN[] found = subject.getRDNs(type);
      if (found.length > 0) {
        throw refuse("subject.forbidden: the subject may not have " + rdnName(type) + " (found "
            + rdnName(type) + "=" + found[0].getFirst().getValue() + ")");
      }
    }
    if (request.subjectAltNames().isPresent()) {
      String why = san.refusal(request.subjectAltNames().get());
      if (why != null) {
        throw refuse(why);
      }
    }
  }

  private CaException refuse(String rule) {
    return new CaException(403, "profile '" + name + "' rule " + rule);
  }

  private static String rdnName(ASN1ObjectIdentifier type) {
    String n = BCStyle.INSTANCE.oidToDisplayName(type);
    return n == null ? type.getId() : n;
  }

  /** An RDN attribute type from its name (CN, O, OU, C, L, ST, SERIALNUMBER, E...) or dotted OID. */
  public static ASN1ObjectIdentifier rdnType(String nameOrOid) {
    String t = nameOrOid.trim();
    if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
      try {
        return new ASN1ObjectIdentifier(t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + nameOrOid + "' is not an OID");
      }
    }
    try {
      return BCStyle.INSTANCE.attrNameToOID(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + nameOrOid + "' is not a known RDN attribute (CN, O, OU, C, L, ST,"
          + " SERIALNUMBER, E, DC, UID...) nor an OID");
    }
  }

  @Override
  public String toString() {
    return "Profile[" + name + "]";
  }

  /** Builder; {@link #build()} checks the values. Unset values keep {@link #DEFAULT}'s. */
  public static final class Builder {
    private final String name;
    private Optional<Duration> validity = Optional.empty();
    private final List<KeyRule> keyTypes = new ArrayList<>();
    private Optional<Integer> keyUsage = Optional.empty();
    private List<KeyPurposeId> extendedKeyUsage =
        List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
    private SanRules san = SanRules.ANY;
    private final List<ASN1ObjectIdentifier> subjectRequired = new ArrayList<>();
    private final List<ASN1ObjectIdentifier> subjectForbidden = new ArrayList<>();
    private Optional<String> crlDistributionPoint = Optional.empty();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder validity(Duration validity) {
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive: " + validity);
      }
      this.validity = Optional.of(validity);
      return this;
    }

    /** Key types as {@link KeyRule#parse} reads them. */
    public Builder keyTypes(List<String> rules) {
      keyTypes.clear();
      for (String r : rules) {
        keyTypes.add(KeyRule.parse(r));
      }
      return this;
    }

    /** KeyUsage by name: digitalSignature, nonRepudiation (contentCommitment), keyEncipherment, dataEncipherment, keyAgreement. */
    public Builder keyUsage(List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("key_usage needs at least one usage");
      }
      int bits = 0;
      for (String n : names) {
        Integer bit = KEY_USAGES.get(n.trim().toLowerCase(Locale.ROOT));
        if (bit == null) {
          throw new IllegalArgumentException("'" + n + "' is not a key usage of a leaf certificate (use digitalSignature,"
              + " nonRepudiation, keyEncipherment, dataEncipherment or keyAgreement)");
        }
        bits |= bit;
      }
      this.keyUsage = Optional.of(bits);
      return this;
    }

    /** ExtendedKeyUsage by name (serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning) or OID. */
    public Builder extendedKeyUsage(List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("extended_key_usage needs at least one purpose");
      }
      List<KeyPurposeId> out = new ArrayList<>();
      for (String n : names) {
        KeyPurposeId id = EKUS.get(n.trim().toLowerCase(Locale.ROOT));
        if (id == null) {
          try {
            id = KeyPurposeId.getInstance(new ASN1ObjectIdentifier(n.trim()));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + n + "' is not an extended key usage (use serverAuth, clientAuth,"
                + " codeSigning, emailProtection, timeStamping, OCSPSigning or an OID)");
          }
        }
        out.add(id);
      }
      this.extendedKeyUsage = List.copyOf(out);
      return this;
    }

    public Builder san(SanRules rules) {
      this.san = Objects.requireNonNull(rules, "rules");
      return this;
    }

    public Builder subjectRequired(List<String> types) {
      subjectRequired.clear();
      types.forEach(t -> subjectRequired.add(rdnType(t)));
      return this;
    }

    public Builder subjectForbidden(List<String> types) {
      subjectForbidden.clear();
      types.forEach(t -> subjectForbidden.add(rdnType(t)));
      return this;
    }

    /** An http(s) or ldap URL put into issued certificates' cRLDistributionPoints. */
    public Builder crlDistributionPoint(String url) {
      String u = url.trim();
      if (!u.matches("(?i)(https?|ldap)://\\S+")) {
        throw new IllegalArgumentException("'" + url + "' is not an http://, https:// or ldap:// URL");
      }
      this.crlDistributionPoint = Optional.of(u);
      return this;
    }

    public Profile build() {
      for (ASN1ObjectIdentifier t : subjectRequired) {
        if (subjectForbidden.contains(t)) {
          throw new IllegalArgumentException(rdnName(t) + " is both required and forbidden in the subject");
        }
      }
      return new Profile(this);
    }
  }
}
