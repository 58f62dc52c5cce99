package org.est4j.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.est4j.protocol.Jca;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;
import org.est4j.protocol.pem.PemWriter;

/**
 * A persistent embedded CA in the data directory: {@code <data_dir>/cas/<name>/} holds
 * {@code chain.pem} (issuing CA, then root), {@code root.pem}, and the two keys as encrypted
 * PKCS#8 (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) in {@code issuing-key.pem} and
 * {@code root-key.pem}, mode 0600 in a 0700 directory. The passphrase is never written.
 *
 * <p>A CA whose keys were generated on a PKCS#11 token ({@link #initOnToken}) has no key files:
 * {@code token-keys.txt} records the labels of its two token keys (never a PIN), and the server
 * opens the issuing key on the token ({@code cas.NAME.pkcs11}).
 */
public final class CaDirectory {
  public static final String CHAIN = "chain.pem";
  public static final String ROOT = "root.pem";
  public static final String ISSUING_KEY = "issuing-key.pem";
  public static final String ROOT_KEY = "root-key.pem";
  /** For a CA whose keys are on a PKCS#11 token: the token key labels, for people and {@link #load}. */
  public static final String TOKEN_KEYS = "token-keys.txt";

  /** Slows guessing; a server decrypts the key once at start (Bouncy Castle's PBKDF2 here: ~0.5 s). */
  static final int PBKDF2_ITERATIONS = 100_000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private CaDirectory() {}

  /** What {@code ca init} makes: the key type, names and validity of root and issuing CA. */
  public record InitOptions(String keySpec, X500Name rootSubject, X500Name issuingSubject, Duration validity) {}

  /** The directory of CA {@code name} under {@code dataDir}; the name is checked. */
  public static Path directory(Path dataDir, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a CA name: use letters, digits, '.', '_' and '-'"
          + " (at most 63, starting with a letter or digit)");
    }
    return dataDir.resolve("cas").resolve(name);
  }

  public static boolean exists(Path dataDir, String name) {
    return Files.exists(directory(dataDir, name).resolve(CHAIN));
  }

  /** Default subjects: "CN=NAME Root CA" and "CN=NAME Issuing CA". */
  public static InitOptions defaults(String name) {
    return new InitOptions("ec:P-256", new X500Name("CN=" + name + " Root CA"),
        new X500Name("CN=" + name + " Issuing CA"), Duration.ofDays(3650));
  }

  /**
   * Creates root and issuing CA for {@code name}.
   *
   * @throws FileAlreadyExistsException if the CA exists: nothing is overwritten
   * @throws IllegalArgumentException for a bad name, key type or validity
   */
  public static List<X509Certificate> init(Path dataDir, String name, InitOptions options, char[] passphrase)
      throws IOException {
    Path dir = directory(dataDir, name);
    if (Files.exists(dir.resolve(CHAIN)) || Files.exists(dir.resolve(ISSUING_KEY))) {
      throw new FileAlreadyExistsException(dir.toString(), null,
          "CA '" + name + "' already exists; remove the directory to create it again");
    }
    if (options.validity().isNegative() || options.validity().isZero()) {
      throw new IllegalArgumentException("the CA validity must be positive");
    }
    if (passphrase.length < 8) {
      throw new IllegalArgumentException("the CA key passphrase must have at least 8 characters");
    }
    KeyPair rootKeys = ServerKeyGenerator.generate(options.keySpec());
    KeyPair issuingKeys = ServerKeyGenerator.generate(options.keySpec());
    List<X509Certificate> chain = certificates(options, rootKeys, issuingKeys);
    createDirectory(dir);
    // Keys first: a crash between files leaves no chain.pem, so the CA does not look complete.
    writePrivate(dir.resolve(ROOT_KEY), encrypt(rootKeys.getPrivate(), passphrase));
    writePrivate(dir.resolve(ISSUING_KEY), encrypt(issuingKeys.getPrivate(), passphrase));
    writeChain(dir, chain);
    return chain;
  }

  /**
   * Creates root and issuing CA for {@code name} with key pairs that live on a PKCS#11 token (the
   * private keys sign through the token's provider and never leave it). Writes the certificates
   * and {@value #TOKEN_KEYS}, which names the keys by {@code rootKeyLabel} and {@code
   * issuingKeyLabel}.
   *
   * @throws FileAlreadyExistsException if the CA exists: nothing is overwritten
   */
  public static List<X509Certificate> initOnToken(Path dataDir, String name, InitOptions options, KeyPair rootKeys,
      KeyPair issuingKeys, String rootKeyLabel, String issuingKeyLabel) throws IOException {
    Path dir = directory(dataDir, name);
    if (Files.exists(dir.resolve(CHAIN))) {
      throw new FileAlreadyExistsException(dir.toString(), null,
          "CA '" + name + "' already exists; remove the directory to create it again");
    }
    if (options.validity().isNegative() || options.validity().isZero()) {
      throw new IllegalArgumentException("the CA validity must be positive");
    }
    List<X509Certificate> chain = certificates(options, rootKeys, issuingKeys);
    createDirectory(dir);
    Files.writeString(dir.resolve(TOKEN_KEYS), "# the keys of CA '" + name + "' are on a PKCS#11 token (CKA_LABEL)\n"
        + "root: " + rootKeyLabel + "\nissuing: " + issuingKeyLabel + "\n", StandardCharsets.UTF_8);
    writeChain(dir, chain);
    return chain;
  }

  /** Whether CA {@code name}'s keys are on a PKCS#11 token (made by {@link #initOnToken}). */
  public static boolean keysOnToken(Path dataDir, String name) {
    return Files.exists(directory(dataDir, name).resolve(TOKEN_KEYS));
  }

  /**
   * The certificates of CA {@code name} (issuing CA first), for a CA whose issuing key the caller
   * opens elsewhere (a token).
   *
   * @throws PemException if the CA does not exist or its chain is unreadable
   */
  public static List<X509Certificate> chain(Path dataDir, String name) throws PemException {
    Path dir = directory(dataDir, name);
    if (!Files.exists(dir.resolve(CHAIN))) {
      throw new PemException("CA '" + name + "' does not exist in " + dataDir
          + ": create it with estserver ca init --name " + name);
    }
    return PemReader.readCertificates(dir.resolve(CHAIN));
  }

  private static List<X509Certificate> certificates(InitOptions options, KeyPair rootKeys, KeyPair issuingKeys) {
    SecureRandom random = new SecureRandom();
    Instant now = Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = now.minus(EmbeddedCa.CLOCK_SKEW);
    Instant notAfter = now.plus(options.validity());
    SubjectPublicKeyInfo rootSpki = SubjectPublicKeyInfo.getInstance(rootKeys.getPublic().getEncoded());
    SubjectKeyIdentifier rootId = CertIds.subjectKeyIdentifier(rootSpki);
    X509Certificate root = caCertificate(options.rootSubject(), options.rootSubject(), rootSpki, 1, rootId,
        notBefore, notAfter, rootKeys, random);
    X509Certificate issuing = caCertificate(options.rootSubject(), options.issuingSubject(),
        SubjectPublicKeyInfo.getInstance(issuingKeys.getPublic().getEncoded()), 0, rootId, notBefore, notAfter,
        rootKeys, random);
    return List.of(issuing, root);
  }

  private static void createDirectory(Path dir) throws IOException {
    try { // directories made here are the owner's only, like the data directory the store makes
      Files.createDirectories(dir.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir.getParent());
    }
    if (!Files.isDirectory(dir)) {
      createPrivateDirectory(dir);
    }
  }

  /** chain.pem last: it is what makes the CA exist. */
  private static void writeChain(Path dir, List<X509Certificate> chain) throws IOException {
    Files.writeString(dir.resolve(ROOT), PemWriter.toPem(chain.get(1)), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve(CHAIN), PemWriter.toPem(chain), StandardCharsets.US_ASCII);
  }

  /**
   * Loads CA {@code name}: its chain and the decrypted issuing key.
   *
   * @throws PemException if a file is missing or unreadable, or the passphrase is wrong
   */
  public static EmbeddedCa.Builder load(Path dataDir, String name, char[] passphrase) throws PemException {
    Path dir = directory(dataDir, name);
    if (!Files.exists(dir.resolve(CHAIN))) {
      throw new PemException("CA '" + name + "' does not exist in " + dataDir
          + ": create it with estserver ca init --name " + name);
    }
    if (Files.exists(dir.resolve(TOKEN_KEYS))) {
      throw new PemException("the keys of CA '" + name + "' are on a PKCS#11 token (see " + dir.resolve(TOKEN_KEYS)
          + "): configure the token as cas." + name + ".pkcs11 instead of a passphrase");
    }
    List<X509Certificate> chain = PemReader.readCertificates(dir.resolve(CHAIN));
    PrivateKey key = PemReader.readPrivateKey(dir.resolve(ISSUING_KEY), Optional.of(passphrase));
    return EmbeddedCa.builder().chain(chain).privateKey(key);
  }

  static String encrypt(PrivateKey key, char[] passphrase) throws IOException {
    try {
      JceOpenSSLPKCS8EncryptorBuilder encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
          .setProvider(BC); // as an object, never registered (see README: embedding)
      encryptor.setPassword(passphrase);
      encryptor.setIterationCount(PBKDF2_ITERATIONS);
      encryptor.setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(new JcaPKCS8Generator(key, encryptor.build()));
      }
      return out.toString();
    } catch (OperatorCreationException e) {
      throw new IOException("cannot encrypt the CA key: " + e.getMessage(), e);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectory(dir); // not POSIX (Windows): the ACLs of the parent apply
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  private static X509Certificate caCertificate(X500Name issuer, X500Name subject, SubjectPublicKeyInfo subjectKey,
      int pathLen, SubjectKeyIdentifier issuerKeyId, Instant notBefore, Instant notAfter, KeyPair signer,
      SecureRandom random) {
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, CertIds.randomSerial(random),
        Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, CertIds.subjectKeyIdentifier(subjectKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(issuerKeyId.getKeyIdentifier()));
      // CaSigner: plain JCA lookups, so a token key signs through its own provider
      CaSigner caSigner = CaSigner.create(signer.getPublic(), signer.getPrivate(), issuer.toString());
      byte[] der = builder.build(caSigner.contentSigner()).getEncoded();
      return (X509Certificate) Jca.certificateFactory().generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the CA certificate " + subject, e);
    }
  }
}
