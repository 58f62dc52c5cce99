package org.est4j.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.est4j.protocol.pem.PemWriter;

/**
 * A certificate and its private key, made at test time, with the chain of issuers that signed
 * it. Private keys for tests are generated, never committed.
 *
 * <p>A TLS server proves its identity with a chain: its own (leaf) certificate, then the
 * intermediate CA certificates that signed it, up to a root that the client already trusts. The
 * root itself is not sent, because the client has it. {@link #chain()} is exactly what a peer
 * sends: this certificate first, then its issuers, without the root.
 *
 * <pre>{@code
 * TestCertificate root = TestCertificate.builder()
 *     .commonName("Test Root CA")
 *     .certificateAuthority(1)
 *     .build();
 * TestCertificate server = TestCertificate.builder()
 *     .commonName("localhost")
 *     .addDnsName("localhost")
 *     .addIpAddress("127.0.0.1")
 *     .serverAuth()
 *     .signedBy(root)
 *     .build();
 * server.writeTo(dir, "server"); // server.pem (certificate + chain), server-key.pem (0600)
 * }</pre>
 *
 * <p>Instances are immutable. The builder defaults (ECDSA P-256, one day of validity starting a
 * minute ago, a random common name, self-signed) may change in future releases.
 */
public final class TestCertificate {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final X509Certificate certificate;
  private final KeyPair keyPair;
  private final List<X509Certificate> chain;
  private final X509Certificate trustAnchor;

  TestCertificate(
      X509Certificate certificate,
      KeyPair keyPair,
      List<X509Certificate> chain,
      X509Certificate trustAnchor) {
    this.certificate = certificate;
    this.keyPair = keyPair;
    this.chain = List.copyOf(chain);
    this.trustAnchor = trustAnchor;
  }

  /** A builder for a self-signed ECDSA P-256 certificate valid for one day. */
  public static Builder builder() {
    return new Builder();
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  /**
   * This certificate followed by its issuers, leaf first, excluding the self-signed root at the
   * top. A self-signed certificate is its own root, so its chain is just itself: a peer using
   * it must still send it.
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The self-signed certificate at the top of the chain (this one when self-signed). */
  public X509Certificate trustAnchor() {
    return trustAnchor;
  }

  /** This certificate alone, as one PEM {@code CERTIFICATE} block. */
  public String certificatePem() {
    return PemWriter.toPem(certificate);
  }

  /** {@link #chain()} as PEM, leaf first: the content of a server's certificate file. */
  public String chainPem() {
    return PemWriter.toPem(chain);
  }

  /** The private key as an unencrypted PKCS#8 {@code PRIVATE KEY} PEM block. */
  public String privateKeyPem() {
    return PemWriter.privateKeyToPem(keyPair.getPrivate());
  }

  /**
   * Writes {@code <baseName>.pem} (the {@link #chain()}, leaf first) and {@code
   * <baseName>-key.pem} (the PKCS#8 private key) into {@code dir}, replacing existing files.
   * The key file is created with permissions 0600 where the file system has POSIX permissions,
   * so tools that refuse group- or world-readable keys accept it.
   *
   * @return the certificate file; the key file is next to it
   */
  public Path writeTo(Path dir, String baseName) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (baseName.isEmpty() || baseName.contains("/") || baseName.contains("\\")) {
      throw new IllegalArgumentException("baseName must be a plain file name: " + baseName);
    }
    Path certificateFile = dir.resolve(baseName + ".pem");
    Files.writeString(certificateFile, chainPem(), StandardCharsets.US_ASCII);
    writeOwnerOnly(dir.resolve(baseName + "-key.pem"), privateKeyPem());
    return certificateFile;
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!posix) {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
      return;
    }
    // Created owner-only (no window where the key is readable by others); an existing file is
    // replaced rather than truncated, because its old permissions may be wider.
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.setPosixFilePermissions(file, OWNER_ONLY); // the umask may have narrowed, never widened
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  public String toString() {
    return "TestCertificate{" + certificate.getSubjectX500Principal().getName() + "}";
  }

  /**
   * Describes a certificate to make. Everything has a default; {@link #build()} generates the
   * key pair and signs.
   */
  public static final class Builder {
    String commonName;
    X500Name subject;
    final List<GeneralName> subjectAltNames = new ArrayList<>();
    KeyAlgorithm keyAlgorithm = KeyAlgorithm.ec(256);
    KeyPair keyPair;
    Instant notBefore;
    Instant notAfter;
    int maxPathLen = -1; // -1: not a CA
    TestCertificate issuer;
    boolean serverAuth;
    boolean clientAuth;

    private Builder() {}

    /** The subject's CN; ignored when {@link #subject(X500Name)} is set. Default: a random UUID. */
    public Builder commonName(String commonName) {
      this.commonName = Objects.requireNonNull(commonName, "commonName");
      return this;
    }

    /** The full subject name, replacing the {@link #commonName(String)}-only default. */
    public Builder subject(X500Name subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /** Adds a {@code dNSName} subject alternative name, the name TLS clients check. */
    public Builder addDnsName(String name) {
      subjectAltNames.add(new GeneralName(GeneralName.dNSName, name));
      return this;
    }

    /** Adds an {@code iPAddress} subject alternative name ("127.0.0.1", "::1"). */
    public Builder addIpAddress(String address) {
      if (!address.matches("[0-9a-fA-F.:]+")) {
        throw new IllegalArgumentException("not an IP address literal: " + address);
      }
      subjectAltNames.add(new GeneralName(GeneralName.iPAddress, address));
      return this;
    }

    /** Adds an {@code rfc822Name} (e-mail) subject alternative name. */
    public Builder addEmail(String email) {
      subjectAltNames.add(new GeneralName(GeneralName.rfc822Name, email));
      return this;
    }

    /** Adds a {@code uniformResourceIdentifier} subject alternative name. */
    public Builder addUri(String uri) {
      subjectAltNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
      return this;
    }

    /** An ECDSA key on NIST curve P-256, P-384 or P-521 (the default is P-256). */
    public Builder ec(int curveBits) {
      this.keyAlgorithm = KeyAlgorithm.ec(curveBits);
      return this;
    }

    /** An RSA key of {@code bits} (at least 2048, the smallest size current JDKs accept). */
    public Builder rsa(int bits) {
      this.keyAlgorithm = KeyAlgorithm.rsa(bits);
      return this;
    }

    /** An Ed25519 key. */
    public Builder ed25519() {
      this.keyAlgorithm = KeyAlgorithm.ED25519;
      return this;
    }

    /**
     * Certifies this existing key pair instead of generating one, for example a key whose CSR a
     * test has built. Its algorithm must be one that {@link #build()} can sign with.
     */
    public Builder keyPair(KeyPair keyPair) {
      this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
      return this;
    }

    /** Validity period; the default is from one minute ago (for clock skew) until one day on. */
    public Builder validity(Instant notBefore, Instant notAfter) {
      if (!notAfter.isAfter(notBefore)) {
        throw new IllegalArgumentException("notAfter " + notAfter + " is not after " + notBefore);
      }
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    /**
     * Makes a CA certificate that may sign certificates, with at most {@code maxPathLen}
     * intermediate CAs below it (0: it signs only end-entity certificates).
     */
    public Builder certificateAuthority(int maxPathLen) {
      if (maxPathLen < 0) {
        throw new IllegalArgumentException("maxPathLen < 0: " + maxPathLen);
      }
      this.maxPathLen = maxPathLen;
      return this;
    }

    /**
     * Signs with {@code issuer}'s key (default: self-signed). The issuer is not required to be a
     * CA, so that tests can build deliberately invalid chains.
     */
    public Builder signedBy(TestCertificate issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /** Adds the TLS server authentication extended key usage. */
    public Builder serverAuth() {
      this.serverAuth = true;
      return this;
    }

    /** Adds the TLS client authentication extended key usage. */
    public Builder clientAuth() {
      this.clientAuth = true;
      return this;
    }

    /** Generates the key pair (unless given) and signs the certificate. */
    public TestCertificate build() {
      return CertificateSigner.sign(this);
    }

    X500Name subjectName(String fallbackCommonName) {
      if (subject != null) {
        return subject;
      }
      String cn = commonName != null ? commonName : fallbackCommonName;
      return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }
  }
}
