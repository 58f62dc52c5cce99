package org.est4j.protocol.pem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectParser;

/**
 * Reads X.509 certificates and private keys from PEM files as OpenSSL and most tools write them.
 *
 * <p>Keys may be PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}, with or without
 * a preceding {@code EC PARAMETERS} block), PKCS#8 ({@code PRIVATE KEY}, including Ed25519/Ed448),
 * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}) or legacy OpenSSL-encrypted PKCS#1/SEC1
 * ({@code Proc-Type: 4,ENCRYPTED}). Whatever the input, the key is returned as made by the first
 * JCA provider's {@link KeyFactory} from its PKCS#8 encoding, so an accelerated provider installed
 * by the application (Conscrypt) signs with it natively.
 *
 * <p>Bouncy Castle's JCA provider is used only to decrypt encrypted keys, passed as an object; it
 * is never registered with {@link java.security.Security}.
 */
public final class PemReader {

  private static final Set<String> CERTIFICATE_TYPES =
      Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE");
  private static final Set<String> PRIVATE_KEY_TYPES =
      Set.of("RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
  private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS =
      Map.of(
          PKCSObjectIdentifiers.rsaEncryption, "RSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
          X9ObjectIdentifiers.id_ecPublicKey, "EC",
          EdECObjectIdentifiers.id_Ed25519, "Ed25519",
          EdECObjectIdentifiers.id_Ed448, "Ed448",
          EdECObjectIdentifiers.id_X25519, "X25519",
          EdECObjectIdentifiers.id_X448, "X448");

  private PemReader() {}

  /** All certificate blocks of the file, in file order; other blocks are skipped. */
  public static List<X509Certificate> readCertificates(Path file) throws PemException {
    return readCertificates(read(file), file.toString());
  }

  /** All certificate blocks of the text, in order; other blocks are skipped. */
  public static List<X509Certificate> readCertificates(Reader reader) throws PemException {
    return readCertificates(reader, "the PEM input");
  }

  /**
   * All certificate blocks of the text, in order; other blocks are skipped.
   *
   * @param sourceName names the input in error messages
   */
  public static List<X509Certificate> readCertificates(Reader reader, String sourceName)
      throws PemException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (BlockParser parser = new BlockParser(reader)) {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block = parser.next(sourceName); block != null; block = parser.next(sourceName)) {
        if (!CERTIFICATE_TYPES.contains(block.type)) {
          continue;
        }
        Object parsed = block.parse(sourceName);
        X509CertificateHolder holder =
            parsed instanceof X509TrustedCertificateBlock
                ? ((X509TrustedCertificateBlock) parsed).getCertificateHolder()
                : (X509CertificateHolder) parsed;
        certificates.add(
            (X509Certificate)
                factory.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
      }
    } catch (CertificateException | IOException e) {
      throw new PemException(
          "malformed certificate " + (certificates.size() + 1) + " in " + sourceName, e);
    }
    if (certificates.isEmpty()) {
      throw new PemException("no certificates found in " + sourceName);
    }
    return List.copyOf(certificates);
  }

  /**
   * The first private key of the file. Certificates and EC parameters before it are skipped, so a
   * combined "certificate + key" file works.
   *
   * @param passphrase needed only if the key is encrypted
   */
  public static PrivateKey readPrivateKey(Path file, Optional<char[]> passphrase)
      throws PemException {
    return readPrivateKey(read(file), file.toString(), passphrase);
  }

  /**
   * The first private key of the text.
   *
   * @param sourceName names the input in error messages
   * @param passphrase needed only if the key is encrypted
   */
  public static PrivateKey readPrivateKey(
      Reader reader, String sourceName, Optional<char[]> passphrase) throws PemException {
    ASN1ObjectIdentifier curveFromParameters = null;
    try (BlockParser parser = new BlockParser(reader)) {
      for (Block block = parser.next(sourceName); block != null; block = parser.next(sourceName)) {
        if (CERTIFICATE_TYPES.contains(block.type)) {
          continue;
        }
        if ("EC PARAMETERS".equals(block.type)) {
          // `openssl ecparam -genkey` writes the curve first; keep it for a SEC1 key without one.
          Object parameters = block.parse(sourceName);
          if (parameters instanceof ASN1ObjectIdentifier) {
            curveFromParameters = (ASN1ObjectIdentifier) parameters;
          }
          continue;
        }
        if (!PRIVATE_KEY_TYPES.contains(block.type)) {
          throw new PemException(
              "unsupported PEM block type " + block.type + " in " + sourceName);
        }
        PrivateKeyInfo info = privateKeyInfo(block.parse(sourceName), sourceName, passphrase);
        return toJcaKey(withCurve(info, curveFromParameters), sourceName);
      }
    } catch (IOException e) {
      throw new PemException("cannot read " + sourceName + ": " + e.getMessage(), e);
    }
    throw new PemException("no PEM private key found in " + sourceName);
  }

  private static PrivateKeyInfo privateKeyInfo(
      Object parsed, String sourceName, Optional<char[]> passphrase) throws PemException {
    if (parsed instanceof PrivateKeyInfo) {
      return (PrivateKeyInfo) parsed;
    }
    if (parsed instanceof PEMKeyPair) {
      return ((PEMKeyPair) parsed).getPrivateKeyInfo();
    }
    char[] secret =
        passphrase.orElseThrow(
            () -> new PemException(sourceName + " is encrypted: a passphrase is required"));
    try {
      if (parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
        return ((PKCS8EncryptedPrivateKeyInfo) parsed)
            .decryptPrivateKeyInfo(
                new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(secret));
      }
      if (parsed instanceof PEMEncryptedKeyPair) {
        return ((PEMEncryptedKeyPair) parsed)
            .decryptKeyPair(
                new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(secret))
            .getPrivateKeyInfo();
      }
    } catch (Exception e) {
      // Bad padding or garbage after decryption: in practice always a wrong passphrase.
      throw new PemException("wrong passphrase for " + sourceName, e);
    }
    throw new PemException("unsupported private key structure in " + sourceName);
  }

  /** Adds the curve from an {@code EC PARAMETERS} block to a SEC1 key that omits it. */
  private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve)
      throws IOException {
    AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
    if (curve == null
        || !X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
        || algorithm.getParameters() != null) {
      return info;
    }
    return new PrivateKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
        info.parsePrivateKey());
  }

  private static PrivateKey toJcaKey(PrivateKeyInfo info, String sourceName)
      throws PemException {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm = KEY_ALGORITHMS.get(oid);
    if (algorithm == null) {
      throw new PemException("unsupported private key algorithm " + oid + " in " + sourceName);
    }
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new PemException("invalid " + algorithm + " private key in " + sourceName, e);
    }
  }

  private static Reader read(Path file) throws PemException {
    try {
      return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new PemException("no such file: " + file, e);
    } catch (IOException e) {
      throw new PemException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** One PEM block: its type line and the not-yet-parsed body. */
  private static final class Block {
    final String type;
    private final PemObject pem;
    private final PemObjectParser parser;

    Block(PemObject pem, PemObjectParser parser) {
      this.type = pem.getType();
      this.pem = pem;
      this.parser = parser;
    }

    Object parse(String sourceName) throws PemException {
      try {
        return parser.parseObject(pem);
      } catch (IOException | RuntimeException e) {
        throw new PemException("malformed " + type + " block in " + sourceName, e);
      }
    }
  }

  /**
   * Gives each block with its type before parsing it, so that an unknown type is reported by name
   * rather than as PEMParser's "unrecognised object" and a block we skip is never parsed.
   */
  private static final class BlockParser extends PEMParser {
    BlockParser(Reader reader) {
      super(reader);
    }

    Block next(String sourceName) throws PemException {
      PemObject pem;
      try {
        pem = readPemObject();
      } catch (IOException | RuntimeException e) {
        throw new PemException("malformed PEM data in " + sourceName, e);
      }
      if (pem == null) {
        return null;
      }
      return new Block(pem, (PemObjectParser) parsers.get(pem.getType()));
    }
  }

  /** Created on first use: building the provider object costs tens of milliseconds. */
  private static final class Bc {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }
}
