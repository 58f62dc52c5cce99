package org.est4j.it.pkcs11;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.est4j.client.KeyPairs;
import org.est4j.client.Pkcs11KeySpec;
import org.est4j.it.interop.ExternalTools;

/**
 * SoftHSM2 tokens for the PKCS#11 tests, created once per test JVM in a fresh directory.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} when the library is initialised, and a JVM cannot set its
 * own environment. The pom therefore gives the surefire JVM {@code
 * SOFTHSM2_CONF=target/softhsm2/softhsm2.conf}; this class writes that file (token directory
 * {@code target/softhsm2/tokens}, emptied first) and creates every token with softhsm2-util and
 * pkcs11-tool before any test loads the library in-JVM. All tokens exist before the first
 * C_Initialize, because SoftHSM does not see tokens created by other processes afterwards.
 * Nothing is committed: keys are generated here, on each run.
 *
 * <p>Tokens: {@link #CLIENT_TOKEN} (RSA-2048 id 01 "rsa", EC P-256 id 02 "ec"), {@link #KEYSTORE_TOKEN}
 * (EC P-256 id 03 "with-cert" with a placeholder certificate of the same id, id 04 "without-cert") and {@link
 * #CA_TOKEN} (EC P-256 id 0a "ca-ec", RSA-2048 id 0b "ca-rsa"), user PIN {@link #PIN}.
 */
public final class SoftHsm {
  public static final String CLIENT_TOKEN = "Testing Token"; // the seed's test_hsm.cfg label
  public static final String CA_TOKEN = "est4j CA";
  /** For SunPKCS11's KeyStore: its login stays with the token, so it gets a token of its own. */
  public static final String KEYSTORE_TOKEN = "est4j KeyStore";
  public static final String PIN = "1234";
  private static final String SO_PIN = "5678";
  private static final List<String> LIBRARIES = List.of(
      "/usr/lib/softhsm/libsofthsm2.so",
      "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
      "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
      "/usr/local/lib/softhsm/libsofthsm2.so");

  private static SoftHsm instance;

  private final Path library;
  private final Path conf;

  private SoftHsm(Path library, Path conf) {
    this.library = library;
    this.conf = conf;
  }

  /** The tokens, created on first use; skips (or fails under CI) when SoftHSM2 is missing. */
  public static synchronized SoftHsm get() {
    if (instance == null) {
      instance = create();
    }
    return instance;
  }

  public Path library() {
    return library;
  }

  public Path conf() {
    return conf;
  }

  /** A spec for a key of the client token. */
  public Pkcs11KeySpec clientKey(int id) {
    return spec(CLIENT_TOKEN, id);
  }

  public Pkcs11KeySpec spec(String token, int id) {
    return Pkcs11KeySpec.builder().module(library).tokenLabel(token).keyId(new byte[] {(byte) id})
        .pin(PIN.toCharArray()).build();
  }

  /** An RFC 7512 URI for a key (the space in the label percent-encoded). */
  public String uri(String token, int id, boolean withPin) {
    return "pkcs11:token=" + token.replace(" ", "%20") + ";id=%" + String.format("%02x", id) + ";type=private"
        + "?module-path=" + library + (withPin ? "&pin-value=" + PIN : "");
  }

  private static SoftHsm create() {
    Path library = LIBRARIES.stream().map(Path::of).filter(Files::isRegularFile).findFirst()
        .orElse(null);
    if (library == null) {
      missing("libsofthsm2.so (looked in " + LIBRARIES + ")", "softhsm2");
    }
    if (ExternalTools.findOnPath("softhsm2-util").isEmpty()) {
      missing("softhsm2-util", "softhsm2");
    }
    if (ExternalTools.findOnPath("pkcs11-tool").isEmpty()) {
      missing("pkcs11-tool", "opensc");
    }
    String confEnv = System.getenv("SOFTHSM2_CONF");
    if (confEnv == null) {
      missing("the environment variable SOFTHSM2_CONF (the pom sets it for surefire; run the"
          + " tests through Maven)", "softhsm2");
    }
    Path conf = Path.of(confEnv).toAbsolutePath();
    Path tokens = conf.resolveSibling("tokens");
    try {
      if (Files.exists(tokens)) {
        try (Stream<Path> s = Files.walk(tokens)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(tokens);
      Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
          + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
      SoftHsm h = new SoftHsm(library, conf);
      h.initToken(CLIENT_TOKEN);
      h.keypair(CLIENT_TOKEN, "rsa:2048", 0x01, "rsa");
      h.keypair(CLIENT_TOKEN, "EC:prime256v1", 0x02, "ec");
      h.initToken(KEYSTORE_TOKEN);
      h.keypair(KEYSTORE_TOKEN, "EC:prime256v1", 0x03, "with-cert");
      h.keypair(KEYSTORE_TOKEN, "EC:prime256v1", 0x04, "without-cert");
      h.placeholderCertificate(KEYSTORE_TOKEN, 0x03, "with-cert", tokens.resolveSibling("work"));
      h.initToken(CA_TOKEN);
      h.keypair(CA_TOKEN, "EC:prime256v1", 0x0a, "ca-ec");
      h.keypair(CA_TOKEN, "rsa:2048", 0x0b, "ca-rsa");
      return h;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the SoftHSM tokens: " + e, e);
    }
  }

  /**
   * A certificate object with the key's CKA_ID and label, as a token holds after an earlier
   * enrollment: SunPKCS11's KeyStore shows the private key only then. Its signature (by a
   * throwaway key) does not matter to the KeyStore, which pairs by CKA_ID.
   */
  private void placeholderCertificate(String token, int id, String label, Path work) throws IOException {
    Files.createDirectories(work);
    Path pub = work.resolve("pub-" + id + ".der");
    run("pkcs11-tool", "--module", library.toString(), "--token-label", token, "--read-object", "--type", "pubkey",
        "--id", String.format("%02x", id), "-o", pub.toString());
    try {
      KeyPair signer = KeyPairs.generate("ec:P-256");
      X500Name name = new X500Name("CN=" + label);
      Instant now = Instant.now();
      byte[] der = new X509v3CertificateBuilder(name, BigInteger.valueOf(id),
          Date.from(now), Date.from(now.plusSeconds(86400)), name,
          SubjectPublicKeyInfo.getInstance(Files.readAllBytes(pub)))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()))
          .getEncoded();
      Path cert = Files.write(work.resolve("cert-" + id + ".der"), der);
      run("pkcs11-tool", "--module", library.toString(), "--token-label", token, "--login", "--pin", PIN,
          "--write-object", cert.toString(), "--type", "cert", "--id", String.format("%02x", id), "--label", label);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make the placeholder certificate: " + e, e);
    }
  }

  /** The slot ID (decimal) of the token with this label, from {@code pkcs11-tool -L}. */
  public long slotOf(String token) throws IOException {
    String list = run("pkcs11-tool", "--module", library.toString(), "-L");
    Matcher m = Pattern
        .compile("Slot \\d+ \\(0x([0-9a-f]+)\\):[^\\n]*\\n\\s*token label\\s*:\\s*" + Pattern.quote(token) + "\\s*\\n")
        .matcher(list);
    if (!m.find()) {
      throw new IOException("no slot with token " + token + " in:\n" + list);
    }
    return Long.parseLong(m.group(1), 16);
  }

  private void initToken(String label) throws IOException {
    run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN);
  }

  private void keypair(String token, String type, int id, String label) throws IOException {
    run("pkcs11-tool", "--module", library.toString(), "--token-label", token, "--login", "--pin", PIN,
        "--keypairgen", "--key-type", type, "--id", String.format("%02x", id), "--label", label);
  }

  /** Runs a tool with SOFTHSM2_CONF set; fails with its output when it exits non-zero. */
  public String run(String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": timed out");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void missing(String what, String debianPackage) {
    throw ExternalTools.unavailable("SoftHSM2 tests need " + what + ": install the Debian package " + debianPackage
        + " (apt-get install softhsm2 opensc)");
  }
}
