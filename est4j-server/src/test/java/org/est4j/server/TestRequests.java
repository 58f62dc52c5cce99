package org.est4j.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds engine requests and CSRs for tests. */
final class TestRequests {
  private TestRequests() {}

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static byte[] csr(KeyPair key, String subject, String... dnsNames) throws Exception {
    JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic());
    if (dnsNames.length > 0) {
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < names.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
    }
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
  }

  static byte[] base64(byte[] der) {
    return Base64.getMimeEncoder().encodeToString(der).getBytes(StandardCharsets.US_ASCII);
  }

  static Builder get(String path) {
    return new Builder("GET", path);
  }

  static Builder post(String path, byte[] body) {
    return new Builder("POST", path).body(body).header("Content-Type", "application/pkcs10");
  }

  static final class Builder {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new TreeMap<>();
    private byte[] body = new byte[0];
    private List<X509Certificate> peers = List.of();

    Builder(String method, String path) {
      this.method = method;
      this.path = path;
      header("User-Agent", "est4j-test");
    }

    Builder header(String name, String value) {
      if (value == null) {
        headers.remove(name.toLowerCase(Locale.ROOT));
      } else {
        headers.put(name.toLowerCase(Locale.ROOT), value);
      }
      return this;
    }

    Builder basic(String user, String password) {
      return header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    Builder body(byte[] b) {
      this.body = b;
      return this;
    }

    Builder peers(List<X509Certificate> chain) {
      this.peers = chain;
      return this;
    }

    EstRequest build() {
      return new EstRequest(method, path, n -> headers.get(n.toLowerCase(Locale.ROOT)), body, peers, true, InetAddress.getLoopbackAddress());
    }
  }
}
