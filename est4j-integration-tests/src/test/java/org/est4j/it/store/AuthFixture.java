package org.est4j.it.store;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.cli.EstServerCommand;

/** estserver subcommands in this JVM, and enrollments with chosen credentials. */
final class AuthFixture {
  private AuthFixture() {}

  record Run(int exit, String out, String err) {}

  static Run estserver(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = EstServerCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A CSR carrying {@code value} in the attribute {@code oid} (challengePassword, otpChallenge). */
  static byte[] csrWithAttribute(KeyPair key, String subject, ASN1ObjectIdentifier oid, String value) throws Exception {
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
        .addAttribute(oid, new DERUTF8String(value))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    return Base64.getEncoder().encode(der);
  }

  /** POST /[label/]simpleenroll with the given Authorization header (none when null). */
  static HttpResponse<byte[]> enroll(HttpClient client, int port, String label, byte[] csr, String authorization)
      throws Exception {
    String path = "/.well-known/est/" + (label == null ? "" : label + "/") + "simpleenroll";
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
        .header("Content-Type", "application/pkcs10")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(csr));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
