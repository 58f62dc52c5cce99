package org.est4j.server;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.est4j.ca.CertificateAuthority;
import org.est4j.ca.Profile;
import org.est4j.protocol.CsrAttrs;

/**
 * How one label (RFC 7030 §3.2.2 additional path segment), or the unlabelled path, is served.
 * Immutable; made with {@link #builder(CertificateAuthority)}.
 */
public final class LabelSettings {
  /** The CA name when only one CA is configured. */
  public static final String DEFAULT_CA_NAME = "default";

  private final CertificateAuthority authority;
  private final Supplier<CsrAttrs> csrAttrs;
  private final OptionalInt base64LineLength;
  private final boolean requireAuthentication;
  private final String caName;
  private final ServerKeyEncryption serverKeyEncryption;
  private final byte[] seedPreSharedKey; // the seed's pkcs7 test label only; null otherwise
  private final List<X509Certificate> tpmEndorsementRoots;
  private final boolean manualApproval;

  private final List<X509Certificate> clientCas;
  private final Profile profile;
  private final AuthPolicy auth;
  private final ReenrollPolicy reenroll;
  private final boolean enforceCsrAttrs;

  private LabelSettings(Builder b) {
    this.manualApproval = b.manualApproval;
    this.clientCas = b.clientCas;
    this.profile = b.profile;
    this.auth = b.auth;
    this.reenroll = b.reenroll;
    this.enforceCsrAttrs = b.enforceCsrAttrs;
    this.caName = b.caName;
    this.authority = b.authority;
    this.csrAttrs = b.csrAttrs;
    this.base64LineLength = b.base64LineLength;
    this.requireAuthentication = b.requireAuthentication;
    this.serverKeyEncryption = b.serverKeyEncryption;
    this.seedPreSharedKey = b.seedPreSharedKey;
    this.tpmEndorsementRoots = b.tpmEndorsementRoots;
  }

  public static Builder builder(CertificateAuthority authority) {
    return new Builder(authority);
  }

  public Builder toBuilder() {
    Builder b = new Builder(authority);
    b.csrAttrs = csrAttrs;
    b.base64LineLength = base64LineLength;
    b.requireAuthentication = requireAuthentication;
    b.caName = caName;
    b.serverKeyEncryption = serverKeyEncryption;
    b.seedPreSharedKey = seedPreSharedKey;
    b.tpmEndorsementRoots = tpmEndorsementRoots;
    b.manualApproval = manualApproval;
    b.clientCas = clientCas;
    b.profile = profile;
    b.auth = auth;
    b.reenroll = reenroll;
    b.enforceCsrAttrs = enforceCsrAttrs;
    return b;
  }

  /** The certificate profile requests on this label are checked against and issued under. */
  public Profile profile() {
    return profile;
  }

  /** Which authentication methods may perform which operation. */
  public AuthPolicy auth() {
    return auth;
  }

  /** What /simplereenroll lets a client change. */
  public ReenrollPolicy reenroll() {
    return reenroll;
  }

  /** Whether a CSR must satisfy the advertised {@link #csrAttrs()} (else 400 with the reason). */
  public boolean enforceCsrAttrs() {
    return enforceCsrAttrs;
  }

  public CertificateAuthority authority() {
    return authority;
  }

  /** The attributes /csrattrs advertises; empty means 204. */
  public CsrAttrs csrAttrs() {
    return csrAttrs.get();
  }

  /**
   * The base64 line length of responses: 76 (wrapped, as libest's client needs) or 0 (one line,
   * as strongSwan 5.9 needs). Empty means automatic: see {@code Base64Style}.
   */
  public OptionalInt base64LineLength() {
    return base64LineLength;
  }

  /** Whether enroll, reenroll and serverkeygen need a verified identity (Basic or certificate). */
  public boolean requireAuthentication() {
    return requireAuthentication;
  }

  /** The configured name of this label's CA: the certificate store keys serials by it. */
  public String caName() {
    return caName;
  }

  /** Shared keys and certificates for encrypted server-generated keys (RFC 7030 §4.4.1). */
  public ServerKeyEncryption serverKeyEncryption() {
    return serverKeyEncryption;
  }

  /**
   * The Go seed's {@code pkcs7} test label: keys not otherwise encrypted are returned as CMS
   * EncryptedData under this pre-shared AES key. Never set in a configured server.
   */
  java.util.Optional<byte[]> seedPreSharedKey() {
    return java.util.Optional.ofNullable(seedPreSharedKey).map(byte[]::clone);
  }

  /**
   * The TPM manufacturer certificates /tpmenroll verifies EK certificate chains against; empty
   * means the chain is not verified (as the Go seed does), only matched against the EK.
   */
  public List<X509Certificate> tpmEndorsementRoots() {
    return tpmEndorsementRoots;
  }

  /**
   * {@code approval: manual}: enroll, reenroll and serverkeygen requests wait for an operator
   * (202 + Retry-After until approved; see {@code Approvals}).
   */
  public boolean manualApproval() {
    return manualApproval;
  }

  /**
   * CA certificates whose client certificates may authenticate enrollment on this label only
   * (e.g. a manufacturer's IDevID CA for first enrollment on {@code iot}), in addition to the
   * server-wide {@code EstServerSettings.clientCas()} and the label's own CA.
   */
  public List<X509Certificate> clientCas() {
    return clientCas;
  }

  /** Builder with secure defaults: authentication required, automatic base64 wrapping. */
  public static final class Builder {
    private CertificateAuthority authority;
    private Supplier<CsrAttrs> csrAttrs = CsrAttrs::empty;
    private OptionalInt base64LineLength = OptionalInt.empty();
    private boolean requireAuthentication = true;
    private String caName = DEFAULT_CA_NAME;
    private ServerKeyEncryption serverKeyEncryption = ServerKeyEncryption.none();
    private byte[] seedPreSharedKey;
    private List<X509Certificate> tpmEndorsementRoots = List.of();
    private boolean manualApproval;
    private List<X509Certificate> clientCas = List.of();
    private Profile profile = Profile.DEFAULT;
    private AuthPolicy auth = AuthPolicy.DEFAULT;
    private ReenrollPolicy reenroll = ReenrollPolicy.DEFAULT;
    private boolean enforceCsrAttrs;

    private Builder(CertificateAuthority authority) {
      this.authority = Objects.requireNonNull(authority, "authority");
    }

    public Builder authority(CertificateAuthority authority) {
      this.authority = Objects.requireNonNull(authority, "authority");
      return this;
    }

    public Builder csrAttrs(CsrAttrs attrs) {
      Objects.requireNonNull(attrs, "attrs");
      this.csrAttrs = () -> attrs;
      return this;
    }

    /** For attributes computed per request (or, for the test labels, a failure). */
    public Builder csrAttrs(Supplier<CsrAttrs> source) {
      this.csrAttrs = Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder base64LineLength(int length) {
      if (length < 0 || length % 4 != 0) {
        throw new IllegalArgumentException("base64 line length must be 0 or a positive multiple of 4, not " + length);
      }
      this.base64LineLength = OptionalInt.of(length);
      return this;
    }

    public Builder automaticBase64LineLength() {
      this.base64LineLength = OptionalInt.empty();
      return this;
    }

    /**
     * Lets anyone enroll without credentials. Only for test servers: the name of the setting in
     * the configuration says so too.
     */
    public Builder allowUnauthenticatedEnrollment(boolean allow) {
      this.requireAuthentication = !allow;
      return this;
    }

    /** The CA's name in the certificate store (default {@value LabelSettings#DEFAULT_CA_NAME}). */
    public Builder caName(String name) {
      if (name == null || name.isBlank() || name.length() > 64) {
        throw new IllegalArgumentException("a CA name must be 1 to 64 characters");
      }
      this.caName = name;
      return this;
    }

    public Builder serverKeyEncryption(ServerKeyEncryption encryption) {
      this.serverKeyEncryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /** For the zero-config server's {@code pkcs7} test label only (see {@code TestLabels}). */
    Builder seedPreSharedKey(byte[] key) {
      this.seedPreSharedKey = key.clone();
      return this;
    }

    /**
     * Trust anchors for EK certificates in /tpmenroll (TPM manufacturer roots, or any CA
     * certificate to anchor at); empty turns the chain check off.
     */
    public Builder tpmEndorsementRoots(List<X509Certificate> roots) {
      this.tpmEndorsementRoots = List.copyOf(roots);
      return this;
    }

    /** {@code approval: manual} (true) or {@code auto} (false, the default). */
    public Builder manualApproval(boolean manual) {
      this.manualApproval = manual;
      return this;
    }

    /** Client-certificate anchors for this label only; see {@link LabelSettings#clientCas()}. */
    public Builder clientCas(List<X509Certificate> cas) {
      this.clientCas = List.copyOf(cas);
      return this;
    }

    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    public Builder auth(AuthPolicy auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    public Builder reenroll(ReenrollPolicy reenroll) {
      this.reenroll = Objects.requireNonNull(reenroll, "reenroll");
      return this;
    }

    /** Refuse CSRs that do not give what /csrattrs advertises (RFC 7030 form or RFC 9908 template). */
    public Builder enforceCsrAttrs(boolean enforce) {
      this.enforceCsrAttrs = enforce;
      return this;
    }

    public LabelSettings build() {
      return new LabelSettings(this);
    }
  }
}
