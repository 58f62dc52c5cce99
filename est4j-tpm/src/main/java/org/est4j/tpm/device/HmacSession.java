package org.est4j.tpm.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An unbound, unsalted HMAC session (SHA-256) that authorises a key without sending its password:
 * each command carries HMAC(authValue, cpHash || nonceCaller || nonceTPM || attributes) and each
 * response is checked the same way (Part 1 §19.6). Used for TPM2_Sign, the command a TPM key
 * repeats for every CSR and TLS handshake, and for the AK in TPM2_ActivateCredential. Unsalted, so the session key is empty: the HMAC key
 * is the password itself (an observer of the bus still cannot read it, but could test guesses
 * offline, as with any unsalted session).
 */
final class HmacSession {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SE_HMAC = 0x00;

  private final int handle;
  private byte[] nonceTpm;

  private HmacSession(int handle, byte[] nonceTpm) {
    this.handle = handle;
    this.nonceTpm = nonceTpm;
  }

  static HmacSession start(TpmDevice tpm) throws IOException {
    Command c = Command.of("TPM2_StartAuthSession(HMAC)", Tpm2.CC_START_AUTH_SESSION)
        .handle(Tpm2.RH_NULL).handle(Tpm2.RH_NULL);
    c.params().tpm2b(nonce()).tpm2b(new byte[0]).u8(SE_HMAC).u16(Tpm2.ALG_NULL).u16(Tpm2.ALG_SHA256);
    Response r = tpm.execute(c, 1);
    int handle = r.handle();
    return new HmacSession(handle, r.params().tpm2b());
  }

  int handle() {
    return handle;
  }

  /**
   * Runs {@code c} (built without authorization; {@code names} are the Names of its handles) under
   * this session, checks the response HMAC and keeps the TPM's new nonce. The caller holds the
   * device's lock.
   */
  Response execute(TpmDevice tpm, Command c, byte[][] names, String password) throws IOException {
    return execute(tpm, c, names, password, new Authorization[0]);
  }

  /** As above, with further sessions after this one (e.g. the EK's policy session). */
  Response execute(TpmDevice tpm, Command c, byte[][] names, String password, Authorization... following)
      throws IOException {
    int commandCode = c.code();
    byte[] authValue = authValue(password);
    try {
      byte[] params = c.params().toByteArray();
      byte[] cpHash = sha256(u32(commandCode), concat(names), params);
      byte[] nonceCaller = nonce();
      byte[] hmac = hmac(authValue, cpHash, nonceCaller, nonceTpm, new byte[] {Tpm2.SESSION_CONTINUE});
      c.auth(Authorization.hmac(handle, nonceCaller, hmac));
      for (Authorization a : following) {
        c.auth(a);
      }
      Response r = tpm.execute(c, 0);
      Response.AuthResponse a = r.auth();
      if (a == null) {
        throw new TpmException(c.name() + ": the TPM answered without the session's authorization");
      }
      byte[] rpHash = sha256(u32(0), u32(commandCode), r.paramBytes());
      byte[] expected = hmac(authValue, rpHash, a.nonceTpm(), nonceCaller, new byte[] {(byte) a.attributes()});
      if (!MessageDigest.isEqual(expected, a.hmac())) {
        throw new TpmException(c.name() + ": the response HMAC does not verify (not the TPM that holds the key?)");
      }
      nonceTpm = a.nonceTpm();
      return r;
    } finally {
      Arrays.fill(authValue, (byte) 0);
    }
  }

  void flush(TpmDevice tpm) throws IOException {
    tpm.flush(handle);
  }

  /** The password's bytes without trailing zero octets, as the TPM uses them (Part 1 §19.6.4.3). */
  private static byte[] authValue(String password) {
    byte[] b = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
    int n = b.length;
    while (n > 0 && b[n - 1] == 0) {
      n--;
    }
    return n == b.length ? b : Arrays.copyOf(b, n);
  }

  private static byte[] nonce() {
    byte[] n = new byte[32];
    RANDOM.nextBytes(n);
    return n;
  }

  private static byte[] hmac(byte[] key, byte[]... parts) throws TpmException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // an empty password is an empty HMAC key, which SecretKeySpec refuses: HMAC pads keys with
      // zeros to the block size, so one zero byte is the same key
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new TpmException("HMAC-SHA256 unavailable: " + e.getMessage());
    }
  }

  private static byte[] sha256(byte[]... parts) throws TpmException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new TpmException("SHA-256 unavailable: " + e.getMessage());
    }
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] concat(byte[][] parts) {
    TpmWriter w = new TpmWriter();
    for (byte[] p : parts) {
      w.bytes(p);
    }
    return w.toByteArray();
  }
}
