package org.est4j.tpm.device;

import java.io.Closeable;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TPM 2.0 reached through a {@link TpmTransport}: the commands est4j needs, marshalled in Java
 * (no TSS library). Methods are synchronised: one command at a time, as a TPM requires.
 *
 * <pre>{@code
 * try (TpmDevice tpm = TpmDevice.open("/dev/tpmrm0")) {
 *   TpmObject ek = tpm.readPublic(0x81010001);
 *   List<X509Certificate> ekCerts = tpm.readEkCertificates();
 * }
 * }</pre>
 */
public final class TpmDevice implements Closeable {
  private static final int MAX_ATTEMPTS = 50;
  private final TpmTransport transport;

  private TpmDevice(TpmTransport transport) {
    this.transport = transport;
  }

  /**
   * Opens a character device, a swtpm Unix socket (decided by the file type) or {@code
   * [tcp://]host:port}, and sends TPM2_Startup(CLEAR) so a fresh simulator is usable (a TPM that
   * is already started answers TPM_RC_INITIALIZE, which is ignored).
   */
  public static TpmDevice open(String device) throws IOException {
    TpmTransport t = TpmTransports.open(device);
    TpmDevice tpm = new TpmDevice(t);
    try {
      tpm.startup();
    } catch (TpmException e) {
      t.close();
      if (e.responseCode() == 0x101 && t instanceof StreamTransport) {
        throw new TpmException(e.getMessage() + " (" + t.describe() + " looks like a swtpm that was never"
            + " initialised: start it with --flags not-need-init,startup-clear)");
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    return tpm;
  }

  public static TpmDevice over(TpmTransport transport) {
    return new TpmDevice(transport);
  }

  public String describe() {
    return transport.describe();
  }

  /** TPM2_Startup(TPM_SU_CLEAR); TPM_RC_INITIALIZE (already started) is not an error. */
  public synchronized void startup() throws IOException {
    Command c = Command.of("TPM2_Startup", Tpm2.CC_STARTUP);
    c.params().u16(0x0000);
    try {
      execute(c, 0);
    } catch (TpmException e) {
      if (e.responseCode() != ResponseCodes.INITIALIZE) {
        throw e;
      }
    }
  }

  public synchronized TpmObject readPublic(int handle) throws IOException {
    return ObjectCommands.readPublic(this, handle);
  }

  /** TPM2_CreatePrimary under a hierarchy (TPM_RH_OWNER, _ENDORSEMENT...) with a template. */
  public synchronized TpmObject createPrimary(int hierarchy, String hierarchyPassword, byte[] template,
      String keyPassword) throws IOException {
    return ObjectCommands.createPrimary(this, hierarchy, hierarchyPassword, template, keyPassword);
  }

  /** TPM2_Create: a new key under a loaded parent, returned wrapped by the parent (not loaded). */
  public synchronized KeyBlobs create(int parent, String parentPassword, byte[] template, String keyPassword)
      throws IOException {
    return ObjectCommands.create(this, parent, parentPassword, template, keyPassword);
  }

  /** TPM2_Load: loads wrapped key blobs under their parent; flush the returned handle when done. */
  public synchronized int load(int parent, String parentPassword, KeyBlobs blobs) throws IOException {
    return ObjectCommands.load(this, parent, parentPassword, blobs);
  }

  /** TPM2_EvictControl by the owner: persists a transient object at {@code persistentHandle}. */
  public synchronized void persist(int transientHandle, int persistentHandle, String ownerPassword)
      throws IOException {
    ObjectCommands.evictControl(this, ownerPassword, transientHandle, persistentHandle);
  }

  /** TPM2_EvictControl by the owner on a persistent object: removes it. */
  public synchronized void evict(int persistentHandle, String ownerPassword) throws IOException {
    ObjectCommands.evictControl(this, ownerPassword, persistentHandle, persistentHandle);
  }

  public synchronized void flush(int handle) throws IOException {
    Command c = Command.of("TPM2_FlushContext", Tpm2.CC_FLUSH_CONTEXT);
    c.params().u32(handle);
    execute(c, 0);
  }

  public synchronized NvPublic nvReadPublic(int nvIndex) throws IOException {
    return NvCommands.readPublic(this, nvIndex);
  }

  /** The whole contents of an NV index, read in chunks. */
  public synchronized byte[] nvRead(int nvIndex) throws IOException {
    return NvCommands.read(this, nvIndex);
  }

  /**
   * The EK certificates provisioned in NV at the TCG EK Credential Profile indices (RSA 2048 and
   * ECC P-256 "low range", then the high range), EK certificates first in index order. Empty
   * when none is provisioned.
   */
  public synchronized List<X509Certificate> readEkCertificates() throws IOException {
    return NvCommands.ekCertificates(this);
  }

  /** The EK certificate at one NV index, if that index holds one. */
  public synchronized java.util.Optional<X509Certificate> readEkCertificate(int nvIndex) throws IOException {
    return NvCommands.ekCertificate(this, nvIndex);
  }

  /**
   * TPM2_ActivateCredential (Part 1 §24): recovers the credential protected to {@code ekHandle}
   * for the key at {@code akHandle}. {@code credentialBlob} and {@code encryptedSeed} are as
   * /tpmenroll carries them (no TPM2B size). The EK is authorised by the TCG default EK policy,
   * PolicySecret(TPM_RH_ENDORSEMENT), with {@code ekPassword} as the endorsement hierarchy's
   * password (or, for an EK with userWithAuth, as the EK's own); the AK by its password.
   */
  public synchronized byte[] activateCredential(int akHandle, String akPassword, int ekHandle,
      String ekPassword, byte[] credentialBlob, byte[] encryptedSeed) throws IOException {
    return SessionCommands.activateCredential(this, akHandle, akPassword, ekHandle, ekPassword,
        credentialBlob, encryptedSeed);
  }

  /**
   * TPM2_Sign of a digest by an unrestricted signing key (NULL hash-check ticket), authorised by a
   * password session ({@link TpmPrivateKey} uses an HMAC session instead).
   *
   * @param scheme {@link Tpm2#ALG_RSASSA}, {@link Tpm2#ALG_RSAPSS} or {@link Tpm2#ALG_ECDSA}
   * @param hashAlg the TPM hash algorithm the digest was made with
   */
  public synchronized TpmSignature sign(int keyHandle, String keyPassword, int scheme, int hashAlg, byte[] digest)
      throws IOException {
    return SignCommands.sign(this, keyHandle, keyPassword, scheme, hashAlg, digest);
  }

  /** Starts an HMAC session for {@link #sign(HmacSession, int, byte[], String, int, int, byte[])}. */
  synchronized HmacSession startHmacSession() throws IOException {
    return HmacSession.start(this);
  }

  /** TPM2_Sign authorised by an HMAC session: the password is not sent. */
  synchronized TpmSignature sign(HmacSession session, int keyHandle, byte[] keyName, String keyPassword, int scheme,
      int hashAlg, byte[] digest) throws IOException {
    return SignCommands.sign(this, session, keyHandle, keyName, keyPassword, scheme, hashAlg, digest);
  }

  /**
   * Sends a command and parses the response; the caller holds the lock. TPM_RC_RETRY, _YIELDED and
   * _TESTING ask the caller to send the command again (libtpms answers RETRY while it self-tests
   * an algorithm on first use), as TSS libraries do.
   */
  Response execute(Command command, int responseHandles) throws IOException {
    byte[] encoded = command.encode();
    try {
      for (int attempt = 1; ; attempt++) {
        byte[] raw = transport.transmit(encoded);
        try {
          return Response.parse(command, raw, responseHandles);
        } catch (TpmException e) {
          if (!ResponseCodes.isRetryable(e.responseCode()) || attempt >= MAX_ATTEMPTS) {
            throw e;
          }
          sleep(attempt);
        }
      }
    } finally {
      command.clearSecrets();
      java.util.Arrays.fill(encoded, (byte) 0);
    }
  }

  private static void sleep(int attempt) throws IOException {
    try {
      Thread.sleep(Math.min(10L * attempt, 200L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the TPM");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    transport.close();
  }
}
