package org.est4j.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.est4j.client.internal.Exchanger;
import org.est4j.client.internal.HttpResponse;
import org.est4j.client.internal.Responses;
import org.est4j.client.internal.ServerKeyGenParser;
import org.est4j.client.internal.TpmEnrollCodec;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.MediaTypes;

/**
 * An EST client (RFC 7030, as updated by RFC 8951): one method per operation. Instances are
 * immutable and thread-safe; each call opens its own TLS connection and closes it afterwards
 * (no connection reuse yet).
 *
 * <p>Bootstrap, then enroll (RFC 7030 §4.1.1, §4.2.1):
 *
 * <pre>{@code
 * // 1. Fetch the CA certificates without authenticating the server, check the root out of band.
 * EstClient bootstrap = EstClient.builder()
 *     .server("est.example.com:8443")
 *     .trust(TrustAnchors.insecureBootstrapForCaCertsOnly())
 *     .build();
 * List<X509Certificate> ca = bootstrap.caCerts();              // §4.1
 * X509Certificate root = ca.get(ca.size() - 1);                // compare its fingerprint!
 *
 * // 2. From now on trust only that root.
 * EstClient est = EstClient.builder()
 *     .server("est.example.com:8443")
 *     .trust(TrustAnchors.explicit(List.of(root)))
 *     .basicAuth("alice", password)
 *     .build();
 * CsrAttrs wanted = est.csrAttrs();                            // §4.5
 * KeyPair key = KeyPairs.generate("ec:P-256");
 * byte[] csr = CsrBuilder.create().commonName("device-1").addDnsName("device-1.example").sign(key);
 * X509Certificate cert = est.enrollAndWait(csr, Duration.ofMinutes(5));  // §4.2.1, §4.2.3
 *
 * // 3. Renew with the current certificate as TLS client identity (§4.2.2).
 * EstClient renewer = EstClient.builder().server("est.example.com:8443")
 *     .trust(TrustAnchors.explicit(List.of(root)))
 *     .clientIdentity(ClientIdentity.of(key.getPrivate(), List.of(cert)))
 *     .build();
 * KeyPair next = KeyPairs.generate("ec:P-256");
 * EnrollResult renewed = renewer.reenroll(CsrBuilder.forReenrollment(cert, next).sign(next));
 *
 * // Server-side key generation (§4.4).
 * ServerKeyGenResult kg = est.serverKeyGen(CsrBuilder.create().commonName("d2").sign(key));
 *
 * // TPM key certified through its EK (the Go seed's /tpmenroll).
 * X509Certificate akCert = est.tpmEnroll(tpmRequest, (blob, seed) -> tpm.activate(blob, seed));
 * }</pre>
 */
public final class EstClient {
  /** Path of every EST operation (RFC 7030 §3.2.2). */
  public static final String WELL_KNOWN = "/.well-known/est";

  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

  private final String host;
  private final int port;
  private final String label;
  private final String basePath;
  private final TrustAnchors trust;
  private final ClientIdentity identity;
  private final Exchanger exchanger;

  EstClient(EstClientBuilder b, Exchanger exchanger, String basePath) {
    this.host = b.host;
    this.port = b.port;
    this.label = b.label;
    this.basePath = basePath;
    this.trust = b.trust;
    this.identity = b.identity;
    this.exchanger = exchanger;
  }

  public static EstClientBuilder builder() {
    return new EstClientBuilder();
  }

  /**
   * GET /cacerts (RFC 7030 §4.1): the CA certificates in the server's order (est4j and most
   * servers send the issuing CA first and the root last). The only operation allowed with {@link
   * TrustAnchors#insecureBootstrapForCaCertsOnly()}.
   *
   * @throws EstResponseException if the answer is not a non-empty base64 PKCS#7 certs-only
   */
  public List<X509Certificate> caCerts() throws IOException {
    String op = "/cacerts";
    HttpResponse r = exchanger.exchange(op, "GET", path("cacerts"), MediaTypes.PKCS7_MIME, null, null);
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    Responses.requireType(op, r, MediaTypes.PKCS7_MIME);
    List<X509Certificate> certs = Responses.certsOnly(op, r.body(), "response body");
    if (certs.isEmpty()) {
      throw new EstResponseException(op + ": the server returned no CA certificates");
    }
    return certs;
  }

  /**
   * GET /csrattrs (RFC 7030 §4.5): the attributes the server wants in a CSR. 204 and 404 mean
   * "none" (§4.5.2) and give {@link CsrAttrs#empty()}.
   */
  public CsrAttrs csrAttrs() throws IOException {
    requireAuthenticatedServer("csrAttrs()");
    String op = "/csrattrs";
    HttpResponse r = exchanger.exchange(op, "GET", path("csrattrs"), MediaTypes.CSRATTRS, null, null);
    if (r.status() == 204 || r.status() == 404) {
      return CsrAttrs.empty();
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    Responses.requireType(op, r, MediaTypes.CSRATTRS);
    byte[] der = Responses.base64(op, r.body(), "response body");
    try {
      return CsrAttrs.decode(der);
    } catch (EstProtocolException e) {
      throw new EstResponseException(op + ": the response is not a CsrAttrs structure: " + e.getMessage(), e);
    }
  }

  /**
   * POST /simpleenroll (RFC 7030 §4.2.1) with a DER PKCS#10 CSR.
   *
   * <pre>{@code
   * EnrollResult r = client.enroll(CsrBuilder.create().commonName("device-1").sign(keyPair));
   * }</pre>
   *
   * @return {@link EnrollResult.Issued}, or {@link EnrollResult.Pending} for a 202 (§4.2.3)
   * @throws EstServerException for any other refusal (4xx, 5xx)
   */
  public EnrollResult enroll(byte[] csrDer) throws IOException {
    return enroll(fixed(csrDer));
  }

  /**
   * POST /simpleenroll (RFC 7030 §4.2.1) with a CSR made after the TLS handshake and sent on the
   * same connection (§3.5).
   */
  public EnrollResult enroll(CsrFactory csr) throws IOException {
    requireAuthenticatedServer("enroll()");
    return enrollOn("simpleenroll", csr);
  }

  /**
   * POST /simplereenroll (RFC 7030 §4.2.2): renew (and usually rekey) with the current
   * certificate as TLS client identity. The CSR's Subject and SubjectAltName must equal the
   * certificate's: use {@link CsrBuilder#forReenrollment}.
   *
   * <pre>{@code
   * KeyPair next = KeyPairs.generate("ec:P-256");
   * EnrollResult r = client.reenroll(CsrBuilder.forReenrollment(current, next).sign(next));
   * }</pre>
   *
   * @throws IllegalStateException if the client has no {@link ClientIdentity}
   */
  public EnrollResult reenroll(byte[] csrDer) throws IOException {
    return reenroll(fixed(csrDer));
  }

  /** {@link #reenroll(byte[])} with a CSR made after the TLS handshake. */
  public EnrollResult reenroll(CsrFactory csr) throws IOException {
    requireAuthenticatedServer("reenroll()");
    requireIdentity();
    return enrollOn("simplereenroll", csr);
  }

  /**
   * {@link #enroll(byte[])}, resubmitting the same CSR after each 202's Retry-After (RFC 7030
   * §4.2.3) until the certificate is issued, the server refuses, or waiting again would exceed
   * {@code maxWait}. It never sleeps past the bound: when the next Retry-After does not fit in the
   * remaining time it throws at once.
   *
   * <pre>{@code
   * X509Certificate cert = client.enrollAndWait(csr, Duration.ofHours(1));
   * }</pre>
   *
   * @throws EstPendingException still pending when the bound was reached (carries Retry-After)
   * @throws InterruptedIOException if the thread was interrupted while waiting (flag restored)
   */
  public X509Certificate enrollAndWait(byte[] csrDer, Duration maxWait) throws IOException {
    requireAuthenticatedServer("enrollAndWait()");
    return andWait("simpleenroll", csrDer, maxWait);
  }

  /** {@link #reenroll(byte[])} with the polling of {@link #enrollAndWait}. */
  public X509Certificate reenrollAndWait(byte[] csrDer, Duration maxWait) throws IOException {
    requireAuthenticatedServer("reenrollAndWait()");
    requireIdentity();
    return andWait("simplereenroll", csrDer, maxWait);
  }

  /**
   * POST /serverkeygen (RFC 7030 §4.4): the server generates the key pair; the CSR (signed with
   * any key, whose type the server usually copies) carries the names. A key that comes encrypted
   * (smime-type=server-generated-key) is returned still encrypted: see {@link
   * #serverKeyGen(byte[], KeyEncryption)} and {@link ServerKeyGenResult#decrypt}.
   *
   * <pre>{@code
   * ServerKeyGenResult r = client.serverKeyGen(CsrBuilder.create().commonName("d").sign(throwaway));
   * PrivateKey key = r.privateKey();
   * }</pre>
   *
   * @throws EstPendingException for a 202: resubmit after its Retry-After
   */
  public ServerKeyGenResult serverKeyGen(byte[] csrDer) throws IOException {
    requireAuthenticatedServer("serverKeyGen()");
    Object r = serverKeyGenOnce(csrDer);
    if (r instanceof EnrollResult.Pending) {
      throw new EstPendingException(
          "/serverkeygen: the server accepted the request for later processing; resubmit after "
              + ((EnrollResult.Pending) r).retryAfter().toSeconds() + " s",
          ((EnrollResult.Pending) r).retryAfter());
    }
    return (ServerKeyGenResult) r;
  }

  /**
   * {@link #serverKeyGen(byte[])}, resubmitting the same CSR after each 202's Retry-After (RFC
   * 7030 §4.2.3, which §4.4.2 applies to /serverkeygen) with the polling rules of {@link
   * #enrollAndWait}: at least one second between requests, and never sleeping past {@code maxWait}.
   *
   * <pre>{@code
   * ServerKeyGenResult r = client.serverKeyGenAndWait(csr, Duration.ofMinutes(10));
   * }</pre>
   *
   * @throws EstPendingException still pending when the bound was reached (carries Retry-After)
   * @throws InterruptedIOException if the thread was interrupted while waiting (flag restored)
   */
  public ServerKeyGenResult serverKeyGenAndWait(byte[] csrDer, Duration maxWait) throws IOException {
    requireAuthenticatedServer("serverKeyGenAndWait()");
    Objects.requireNonNull(csrDer, "csrDer");
    return Polling.poll("serverkeygen", maxWait, () -> serverKeyGenOnce(csrDer), ServerKeyGenResult.class);
  }

  /**
   * POST /serverkeygen asking for the key encrypted (RFC 7030 §4.4.1): the CSR must carry {@code
   * encryption}'s attributes ({@link CsrBuilder#requestKeyEncryption}). The answer is decrypted and
   * its signature verified against the CA certificates ({@link KeyEncryption#verifyWith}, else this
   * server's /cacerts). A key that comes back unencrypted is refused: the request asked otherwise.
   *
   * <pre>{@code
   * KeyEncryption enc = client.keyEncryptionToIdentity();
   * byte[] csr = CsrBuilder.create().commonName("d").requestKeyEncryption(enc).sign(throwaway);
   * PrivateKey key = client.serverKeyGen(csr, enc).privateKey();
   * }</pre>
   *
   * @throws EstResponseException when the key came unencrypted, cannot be decrypted, or its
   *     signer is not trusted
   */
  public ServerKeyGenResult serverKeyGen(byte[] csrDer, KeyEncryption encryption) throws IOException {
    return decrypted(serverKeyGen(csrDer), encryption);
  }

  /** {@link #serverKeyGen(byte[], KeyEncryption)} with the polling of {@link #serverKeyGenAndWait}. */
  public ServerKeyGenResult serverKeyGenAndWait(byte[] csrDer, Duration maxWait, KeyEncryption encryption)
      throws IOException {
    return decrypted(serverKeyGenAndWait(csrDer, maxWait), encryption);
  }

  /**
   * Encryption to this client's TLS identity (RFC 7030 §4.4.1.2): the usual choice, since the
   * server can match the identifier against the certificate the client authenticated with.
   *
   * @throws IllegalStateException if the client has no {@link ClientIdentity}
   */
  public KeyEncryption keyEncryptionToIdentity() {
    if (identity == null) {
      throw new IllegalStateException("encryption to the client's identity needs clientIdentity(...) on the builder");
    }
    return KeyEncryption.toIdentity(identity);
  }

  private ServerKeyGenResult decrypted(ServerKeyGenResult r, KeyEncryption encryption) throws IOException {
    return Decryption.serverKey(r, encryption, this::caCerts);
  }

  /**
   * POST /tpmenroll, the Go seed's non-standard enrollment of a TPM key (TPM 2.0 Library Part 1
   * §24): the server returns the certificate encrypted under a credential that only the TPM holding
   * both the EK and the AK can recover. Activate it yourself and call {@link
   * TpmEnrollResult#decryptCertificate}, or use {@link #tpmEnroll(TpmEnrollRequest,
   * CredentialActivator)}.
   *
   * @throws EstPendingException for a 202: resubmit after its Retry-After
   * @throws EstResponseException if the answer is not exactly the three expected parts
   */
  public TpmEnrollResult tpmEnroll(TpmEnrollRequest request) throws IOException {
    requireAuthenticatedServer("tpmEnroll()");
    Object r = tpmEnrollOnce(Objects.requireNonNull(request, "request"));
    if (r instanceof EnrollResult.Pending p) {
      throw new EstPendingException(
          "/tpmenroll: the server accepted the request for later processing; resubmit after "
              + p.retryAfter().toSeconds() + " s",
          p.retryAfter());
    }
    return (TpmEnrollResult) r;
  }

  /** {@link #tpmEnroll(TpmEnrollRequest)}, polling 202s as {@link #enrollAndWait} does. */
  public TpmEnrollResult tpmEnrollAndWait(TpmEnrollRequest request, Duration maxWait) throws IOException {
    requireAuthenticatedServer("tpmEnrollAndWait()");
    Objects.requireNonNull(request, "request");
    return Polling.poll("tpmenroll", maxWait, () -> tpmEnrollOnce(request), TpmEnrollResult.class);
  }

  /**
   * {@link #tpmEnroll(TpmEnrollRequest)}, then the activation and the decryption: the certificate.
   *
   * <pre>{@code
   * X509Certificate cert = client.tpmEnroll(request, (blob, seed) -> tpm.activate(blob, seed));
   * }</pre>
   *
   * @throws GeneralSecurityException if the activator fails
   */
  public X509Certificate tpmEnroll(TpmEnrollRequest request, CredentialActivator activator)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(activator, "activator");
    return Decryption.tpmCertificate(tpmEnroll(request), activator);
  }

  /** {@link #tpmEnroll(TpmEnrollRequest, CredentialActivator)}, polling 202s. */
  public X509Certificate tpmEnrollAndWait(TpmEnrollRequest request, CredentialActivator activator, Duration maxWait)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(activator, "activator");
    return Decryption.tpmCertificate(tpmEnrollAndWait(request, maxWait), activator);
  }

  /** One POST /tpmenroll: a {@link TpmEnrollResult} or an {@link EnrollResult.Pending}. */
  private Object tpmEnrollOnce(TpmEnrollRequest request) throws IOException {
    String op = "/tpmenroll";
    HttpResponse r = exchanger.exchangeRaw(
        op, path("tpmenroll"), MediaTypes.MULTIPART_MIXED, TpmEnrollCodec.CONTENT_TYPE, TpmEnrollCodec.encode(request));
    if (r.status() == 202) {
      return Polling.pending(r);
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    return TpmEnrollCodec.parse(r);
  }

  /** One POST /serverkeygen: a {@link ServerKeyGenResult} or an {@link EnrollResult.Pending}. */
  private Object serverKeyGenOnce(byte[] csrDer) throws IOException {
    String op = "/serverkeygen";
    HttpResponse r =
        exchanger.exchange(op, "POST", path("serverkeygen"), MediaTypes.MULTIPART_MIXED, MediaTypes.PKCS10, fixed(csrDer));
    if (r.status() == 202) {
      return Polling.pending(r);
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    return ServerKeyGenParser.parse(r);
  }

  /** The server as "host:port". */
  public String server() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The CA label (RFC 7030 §3.2.2), if any. */
  public Optional<String> label() {
    return Optional.ofNullable(label);
  }

  @Override
  public String toString() {
    return "EstClient[https://" + server() + basePath + ", " + trust + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private EnrollResult enrollOn(String operation, CsrFactory csr) throws IOException {
    String op = "/" + operation;
    HttpResponse r =
        exchanger.exchange(op, "POST", path(operation), MediaTypes.PKCS7_MIME, MediaTypes.PKCS10, csr);
    if (r.status() == 202) {
      return Polling.pending(r);
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    Responses.requireType(op, r, MediaTypes.PKCS7_MIME);
    List<X509Certificate> certs = Responses.certsOnly(op, r.body(), "response body");
    if (certs.isEmpty()) {
      throw new EstResponseException(op + ": the server returned no certificate");
    }
    return new EnrollResult.Issued(certs.get(0), certs.subList(1, certs.size()));
  }

  private X509Certificate andWait(String operation, byte[] csrDer, Duration maxWait) throws IOException {
    CsrFactory csr = fixed(csrDer);
    EnrollResult.Issued issued = Polling.poll(operation, maxWait, () -> enrollOn(operation, csr), EnrollResult.Issued.class);
    return issued.certificate();
  }

  private static EstException unexpected(String op, HttpResponse r) {
    if (r.status() >= 200 && r.status() < 300) {
      return new EstResponseException(op + ": unexpected status " + r.status() + " (expected 200)");
    }
    return Responses.serverError(op, r);
  }

  private String path(String operation) {
    return basePath + "/" + operation;
  }

  private static CsrFactory fixed(byte[] csrDer) {
    Objects.requireNonNull(csrDer, "csrDer");
    if (csrDer.length == 0) {
      throw new IllegalArgumentException("the CSR is empty");
    }
    byte[] copy = csrDer.clone();
    return tls -> copy;
  }

  private void requireAuthenticatedServer(String operation) {
    if (trust.isInsecure()) {
      throw new IllegalStateException(
          operation + " is not allowed with TrustAnchors.insecureBootstrapForCaCertsOnly(): the"
              + " server is not authenticated. Fetch the CA certificates with caCerts(), check the"
              + " root's fingerprint out of band, then build a client with TrustAnchors.explicit(root).");
    }
  }

  private void requireIdentity() {
    if (identity == null) {
      throw new IllegalStateException(
          "reenrollment (RFC 7030 §4.2.2) authenticates with the current certificate: configure"
              + " clientIdentity(...) on the builder");
    }
  }

}
