package org.est4j.client;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and a TLS server certificate for 127.0.0.1/localhost, made at test time. */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  public final KeyPair caKey;
  public final X509Certificate ca;
  public final KeyPair serverKey;
  public final X509Certificate server;

  private TestCerts() throws Exception {
    caKey = KeyPairs.generate("ec:P-256");
    ca = issue("CN=Test Root " + System.nanoTime(), caKey, "CN=Test Root " + System.nanoTime(), caKey, true, null);
    serverKey = KeyPairs.generate("ec:P-256");
    server = issue("CN=localhost", serverKey, ca.getSubjectX500Principal().getName(), caKey, false,
        new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
  }

  public static TestCerts create() throws Exception {
    return new TestCerts();
  }

  /** A leaf certificate for {@code cn} and {@code key}, issued by this CA. */
  public X509Certificate leaf(String cn, KeyPair key) throws Exception {
    return issue("CN=" + cn, key, ca.getSubjectX500Principal().getName(), caKey, false, null);
  }

  public SSLContext serverContext() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", serverKey.getPrivate(), "x".toCharArray(), new X509Certificate[] {server});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, "x".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static X509Certificate issue(
      String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca, GeneralNames san)
      throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            new X500Name(subject),
            subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (san != null) {
      b.addExtension(Extension.subjectAlternativeName, false, san);
    }
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }
}
