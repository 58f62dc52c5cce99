package org.est4j.it.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.est4j.ca.CaDirectory;
import org.est4j.client.ClientIdentity;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.EstServerException;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.KeySpecs;
import org.est4j.protocol.pem.PemReader;

/** Helpers for the profile, label and RA suites: CAs in a data directory, clients, openssl. */
final class Pki {
  static final String PASSPHRASE = "profiles suite passphrase";

  private Pki() {}

  /** Creates embedded CA {@code name} in {@code dir}/data with the suite's passphrase (file {@code ca.pass}). */
  static void embeddedCa(Path dir, String name, String keySpec) throws Exception {
    Files.writeString(dir.resolve("ca.pass"), PASSPHRASE + "\n");
    CaDirectory.InitOptions d = CaDirectory.defaults(name);
    CaDirectory.init(dir.resolve("data"), name, new CaDirectory.InitOptions(keySpec, d.rootSubject(),
        d.issuingSubject(), d.validity()), PASSPHRASE.toCharArray());
  }

  static Path caFile(Path dir, String name, String file) {
    return dir.resolve("data/cas").resolve(name).resolve(file);
  }

  static X509Certificate root(Path dir, String name) throws Exception {
    return PemReader.readCertificates(caFile(dir, name, CaDirectory.ROOT)).get(0);
  }

  static EstClientBuilder client(int port, String label, X509Certificate anchor) {
    EstClientBuilder b = EstClient.builder().server(URI.create("https://localhost:" + port))
        .trust(TrustAnchors.explicit(List.of(anchor)));
    if (label != null) {
      b.label(label);
    }
    return b;
  }

  static EstClient basic(int port, String label, X509Certificate anchor, String user, String password) {
    return client(port, label, anchor).basicAuth(user, password.toCharArray()).preemptiveBasicAuth(true).build();
  }

  static EstClient withCertificate(int port, String label, X509Certificate anchor, KeyPair key, X509Certificate cert) {
    return client(port, label, anchor).clientIdentity(ClientIdentity.of(key.getPrivate(), List.of(cert))).build();
  }

  static X509Certificate issued(EnrollResult r) {
    assertThat(r).isInstanceOf(EnrollResult.Issued.class);
    return ((EnrollResult.Issued) r).certificate();
  }

  static KeyPair key(String spec) {
    return KeySpecs.generate(spec);
  }

  /** The server's refusal: status and message. */
  static EstServerException refusal(ThrowingCall call) {
    try {
      call.run();
    } catch (EstServerException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a refusal from the server, got " + e, e);
    }
    throw new AssertionError("expected a refusal from the server, got a success");
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  static Path pem(Path dir, String name, X509Certificate... certs) throws Exception {
    StringBuilder b = new StringBuilder();
    for (X509Certificate c : certs) {
      b.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return Files.writeString(dir.resolve(name), b.toString());
  }

  /** Runs openssl in {@code dir}; returns its output and exit code. */
  static Result openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(org.est4j.it.interop.ExternalTools.openssl().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int exit, String out) {}
}
