package org.est4j.it.estclient;

import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.est4j.protocol.pem.PemWriter;

/** The seed's cmd/estclient/testdata, generated at test time (no committed keys). */
final class TestFiles {
  private TestFiles() {}

  /** test_key.pem (PKCS#1 RSA 2048) and test_csr.pem (CN=John Doe, SAN URI) in {@code dir}. */
  static KeyPair writeKeyAndCsr(Path dir) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    byte[] pkcs1 = PrivateKeyInfo.getInstance(kp.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
    Files.writeString(dir.resolve("test_key.pem"), pem("RSA PRIVATE KEY", pkcs1));
    GeneralNames san = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "https://www.johndoe.domain"));
    PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=John Doe"), kp.getPublic())
        .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
            new Extensions(new Extension(Extension.subjectAlternativeName, false, san.getEncoded())))
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
    Files.writeString(dir.resolve("test_csr.pem"), pem("CERTIFICATE REQUEST", csr.getEncoded()));
    return kp;
  }

  static void writeCerts(Path file, List<X509Certificate> certs) throws Exception {
    Files.writeString(file, PemWriter.toPem(certs));
  }

  /** test.cfg: the plain sample plus both anchors. */
  static void writeTestCfg(Path dir) throws Exception {
    Files.writeString(dir.resolve("test.cfg"), """
        {
            "server": "est.fake.domain:8443",
            "additional_path_segment": "someseg",
            "additional_headers": {
                "Certificate-Template": "my-template",
                "Bit-Size": "3072"
            },
            "host_header": "est.fake.host",
            "username": "someuser",
            "password": "somepass",
            "explicit_anchor": "test_anchor.pem",
            "implicit_anchor": "test_anchor.pem",
            "private_key": "test_key.pem"
        }
        """);
    Files.writeString(dir.resolve("test_hsm.cfg"), """
        {
            "private_key": {
                "hsm": {
                    "pkcs11_library_path": "/usr/lib/softhsm/libsofthsm2.so",
                    "token_label": "Testing Token",
                    "token_pin": "1234",
                    "key_id": 1
                }
            }
        }
        """);
  }

  static String pem(String type, byte[] der) throws Exception {
    java.io.StringWriter w = new java.io.StringWriter();
    try (org.bouncycastle.util.io.pem.PemWriter p = new org.bouncycastle.util.io.pem.PemWriter(w)) {
      p.writeObject(new PemObject(type, der));
    }
    return w.toString();
  }

  /** The first PEM block of the given type in the text. */
  static byte[] pemBlock(String text, String type) throws Exception {
    try (PemReader r = new PemReader(new StringReader(text))) {
      for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
        if (o.getType().equals(type)) {
          return o.getContent();
        }
      }
    }
    throw new AssertionError("no " + type + " block in:\n" + text);
  }

  static URI uri(String s) {
    return URI.create(s);
  }
}
