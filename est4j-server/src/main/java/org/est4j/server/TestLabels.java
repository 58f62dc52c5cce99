package org.est4j.server;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.est4j.ca.CaException;
import org.est4j.ca.CertificateAuthority;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.RetryLaterException;
import org.est4j.protocol.CsrAttrs;

/**
 * The Go seed's test labels, for client developers to exercise error paths against the zero-config
 * server: {@code triggererrors} fails /cacerts and /csrattrs with 500 and answers enrollments for
 * the CNs "Trigger Error Forbidden" (403), "Trigger Error Deferred" (202, Retry-After 600) and
 * "Trigger Error Unknown" (500); {@code csrattrs} advertises the RFC 7030 §4.5.2 example;
 * {@code pkcs7} returns server-generated keys as the seed's CMS EncryptedData(SignedData(PKCS#8))
 * under the password "pseudohistorical" used as the AES-128 key. Never enabled in a configured server.
 */
final class TestLabels {
  static final String TRIGGER_ERRORS = "triggererrors";
  static final String CSRATTRS = "csrattrs";
  static final String PKCS7 = "pkcs7";
  /** The seed mock CA's pre-shared password, used directly as an AES-128 key. */
  static final byte[] SEED_PASSWORD = "pseudohistorical".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private TestLabels() {}

  static Map<String, LabelSettings> derive(LabelSettings base) {
    LabelSettings trigger =
        base.toBuilder()
            .authority(new TriggerErrorsAuthority(base.authority()))
            .csrAttrs(
                () -> {
                  throw new IllegalStateException("triggered error");
                })
            .build();
    return Map.of(
        TRIGGER_ERRORS, trigger,
        CSRATTRS, base.toBuilder().csrAttrs(CsrAttrs.rfc7030Example()).build(),
        PKCS7, base.toBuilder().seedPreSharedKey(SEED_PASSWORD).build());
  }

  /** Fails on cue; otherwise signs with the real CA. */
  private static final class TriggerErrorsAuthority implements CertificateAuthority {
    private final CertificateAuthority delegate;

    TriggerErrorsAuthority(CertificateAuthority delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<X509Certificate> caCertificates() {
      throw new IllegalStateException("triggered error");
    }

    @Override
    public java.util.Optional<org.est4j.protocol.cms.KeyPackageSigner> keyPackageSigner() {
      return delegate.keyPackageSigner();
    }

    @Override
    public X509Certificate issue(CertificateRequest request) throws CaException {
      String cn = commonName(request);
      switch (cn) {
        case "Trigger Error Forbidden":
          throw new CaException(403, "triggered forbidden response");
        case "Trigger Error Deferred":
          throw new RetryLaterException("triggered deferred response", Duration.ofSeconds(600));
        case "Trigger Error Unknown":
          throw new CaException(500, "triggered error");
        default:
          return delegate.issue(request);
      }
    }

    private static String commonName(CertificateRequest request) {
      for (RDN rdn : request.subject().getRDNs(BCStyle.CN)) {
        ASN1Encodable value = rdn.getFirst().getValue();
        return IETFUtils.valueToString(value);
      }
      return "";
    }
  }
}
