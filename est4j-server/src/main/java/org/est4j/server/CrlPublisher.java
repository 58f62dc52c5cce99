package org.est4j.server;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.est4j.ca.CrlSigner;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.CrlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each CA's CRL (issue 5 §4). The certificate store says what is revoked; the CRL store
 * holds the last CRL and allocates CRL numbers, so every node serves the same CRL and numbers only
 * grow. A CA's CRL is signed again when the revoked serials in the store differ from those in the
 * current CRL (a revocation by {@code estserver certs revoke} on any node), when {@code refresh}
 * has passed since its thisUpdate, or when it expired. The check runs on a schedule
 * ({@code refresh}, at most every minute) and when a CRL is fetched and was last checked more than
 * {@value #FETCH_CHECK_SECONDS} s ago, so a revocation appears within seconds.
 */
public final class CrlPublisher implements AutoCloseable {
  static final long FETCH_CHECK_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(CrlPublisher.class);
  private static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise",
      "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "", "removeFromCRL",
      "privilegeWithdrawn", "aACompromise");

  private final Map<String, CrlSigner> signers;
  private final Map<String, PublicKey> issuerKeys;
  private final CrlStore crls;
  private final CertificateStore certificates;
  private final Duration validity;
  private final Duration refresh;
  private final Clock clock;
  private final Map<String, Checked> checked = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;

  private record Checked(CrlStore.Published crl, Instant at) {}

  /**
   * @param signers the CRL signer of each CA, by CA name
   * @param issuerKeys the public key of each CA's signer, by CA name: a stored CRL it does not verify
   *     was signed by another CA of that name (the CA was replaced, or another deployment shares the
   *     database) and is signed again instead of being served
   * @param validity nextUpdate - thisUpdate
   * @param refresh how long a CRL is served before a new one is signed (less than {@code validity})
   */
  public CrlPublisher(Map<String, CrlSigner> signers, Map<String, PublicKey> issuerKeys, CrlStore crls,
      CertificateStore certificates, Duration validity, Duration refresh, Clock clock) {
    if (!issuerKeys.keySet().equals(signers.keySet())) {
      throw new IllegalArgumentException("a public key for each CRL signer is needed: " + signers.keySet());
    }
    if (refresh.compareTo(validity) >= 0 || refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("the CRL refresh interval must be positive and shorter than its validity");
    }
    this.signers = Map.copyOf(signers);
    this.issuerKeys = Map.copyOf(issuerKeys);
    this.crls = crls;
    this.certificates = certificates;
    this.validity = validity;
    this.refresh = refresh;
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "est4j-crl");
      t.setDaemon(true);
      return t;
    });
  }

  /** Publishes what is due now and then on schedule. */
  public CrlPublisher start() {
    long period = Math.max(1, Math.min(refresh.toSeconds(), 60));
    scheduler.scheduleWithFixedDelay(this::refreshAll, 0, period, TimeUnit.SECONDS);
    return this;
  }

  public Set<String> caNames() {
    return signers.keySet();
  }

  /** The current CRL of {@code caName}, signed again first if due; empty for an unknown CA. */
  public Optional<CrlStore.Published> crl(String caName) {
    if (!signers.containsKey(caName)) {
      return Optional.empty();
    }
    Checked c = checked.get(caName);
    Instant now = clock.instant();
    if (c != null && c.at().plusSeconds(FETCH_CHECK_SECONDS).isAfter(now) && c.crl().nextUpdate().isAfter(now)) {
      return Optional.of(c.crl());
    }
    return Optional.of(refresh(caName));
  }

  private void refreshAll() {
    for (String ca : signers.keySet()) {
      try {
        refresh(ca);
      } catch (RuntimeException e) {
        LOG.error("cannot publish the CRL of CA {}: {}", ca, e.getMessage(), e);
      }
    }
  }

  /** Signs a new CRL when the current one is missing, stale or does not list exactly what is revoked. */
  synchronized CrlStore.Published refresh(String caName) {
    Instant now = clock.instant();
    List<CertificateRecord> revoked = certificates.list(CertificateQuery.builder().caName(caName)
        .status(CertificateStatus.REVOKED).limit(Integer.MAX_VALUE).build());
    Set<BigInteger> serials = new HashSet<>();
    revoked.forEach(r -> serials.add(new BigInteger(r.serial(), 16)));
    Optional<CrlStore.Published> current = crls.current(caName);
    boolean due = current.isEmpty()
        || !now.isBefore(current.get().thisUpdate().plus(refresh))
        || !now.isBefore(current.get().nextUpdate())
        || !serials.equals(serialsOf(current.get().der()))
        || !signedBy(current.get().der(), issuerKeys.get(caName));
    CrlStore.Published crl = current.orElse(null);
    if (due) {
      Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
      Instant nextUpdate = thisUpdate.plus(validity);
      List<CrlSigner.Revoked> entries = revoked.stream().map(r -> new CrlSigner.Revoked(new BigInteger(r.serial(), 16),
          r.revokedAt().orElse(r.issuedAt()).truncatedTo(ChronoUnit.SECONDS), reasonCode(r.revocationReason()))).toList();
      CrlSigner signer = signers.get(caName);
      crl = crls.publish(caName, thisUpdate, nextUpdate,
          number -> signer.signCrl(BigInteger.valueOf(number), thisUpdate, nextUpdate, entries));
      LOG.info("published CRL {} of CA {} ({} revoked, next update {})", crl.number(), caName, entries.size(), nextUpdate);
    }
    checked.put(caName, new Checked(crl, now));
    return crl;
  }

  static int reasonCode(Optional<String> reason) {
    int i = reason.map(REASONS::indexOf).orElse(0);
    return i < 0 ? 0 : i;
  }

  /** Whether {@code key} verifies the CRL: false for another CA's CRL under the same name. */
  private static boolean signedBy(byte[] der, PublicKey key) {
    try {
      X509CRL crl = (X509CRL) org.est4j.protocol.Jca.certificateFactory().generateCRL(new ByteArrayInputStream(der));
      crl.verify(key);
      return true;
    } catch (GeneralSecurityException e) {
      LOG.info("the stored CRL is not signed by this CA's key (was the CA replaced?): signing a new one");
      return false;
    }
  }

  private static Set<BigInteger> serialsOf(byte[] der) {
    try {
      X509CRL crl = (X509CRL) org.est4j.protocol.Jca.certificateFactory().generateCRL(new ByteArrayInputStream(der));
      Set<BigInteger> out = new HashSet<>();
      Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
      if (entries != null) {
        entries.forEach(e -> out.add(e.getSerialNumber()));
      }
      return out;
    } catch (CRLException | CertificateException e) {
      return Set.of(); // unreadable: signed again (unless nothing is revoked)
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
