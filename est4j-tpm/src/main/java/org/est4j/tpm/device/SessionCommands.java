package org.est4j.tpm.device;

import java.io.IOException;
import java.security.SecureRandom;

/**
 * TPM2_ActivateCredential (Part 3 §12.5). The EK is authorised as the seed's client does (§1.8):
 * a policy session, unbound and unsalted, satisfying the TCG default EK policy
 * PolicySecret(TPM_RH_ENDORSEMENT) (EK Credential Profile §2.1.5) with the endorsement password
 * ({@code ek_password}); with the EK's name algorithm (the seed hard-codes SHA-256, which fails
 * with SHA-384 EKs). An EK that allows userWithAuth (the high-range templates) is authorised with
 * {@code ek_password} as its own password instead. The AK's password is not sent: an HMAC session
 * authorises it.
 */
final class SessionCommands {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionCommands() {}

  static int startPolicySession(TpmDevice tpm, int hashAlg) throws IOException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Command c = Command.of("TPM2_StartAuthSession(policy)", Tpm2.CC_START_AUTH_SESSION)
        .handle(Tpm2.RH_NULL).handle(Tpm2.RH_NULL);
    c.params().tpm2b(nonce).tpm2b(new byte[0]).u8(Tpm2.SE_POLICY).u16(Tpm2.ALG_NULL).u16(hashAlg);
    return tpm.execute(c, 1).handle();
  }

  static void policySecret(TpmDevice tpm, int authHandle, String password, int session) throws IOException {
    Command c = Command.of("TPM2_PolicySecret(" + Tpm2.hex(authHandle) + ")", Tpm2.CC_POLICY_SECRET)
        .handle(authHandle).auth(Authorization.password(password)).handle(session);
    c.params().tpm2b(new byte[0]).tpm2b(new byte[0]).tpm2b(new byte[0]).u32(0);
    tpm.execute(c, 0);
  }

  static byte[] activateCredential(TpmDevice tpm, int ak, String akPassword, int ek, String ekPassword,
      byte[] credentialBlob, byte[] encryptedSeed) throws IOException {
    TpmObject ekObject = ObjectCommands.readPublic(tpm, ek);
    byte[][] names = {ObjectCommands.readPublic(tpm, ak).name(), ekObject.name()};
    TpmReader ekPublic = new TpmReader(ekObject.publicArea(), "EK public area");
    ekPublic.u16();
    int nameAlg = ekPublic.u16();
    int attributes = ekPublic.u32();
    if ((attributes & Tpm2.OBJ_USER_WITH_AUTH) != 0) {
      // the high-range EK templates (swtpm's P-384 EK) allow the EK's own auth value: a password
      // session; their authPolicy is a PolicyOR this code does not need to satisfy
      return activate(tpm, ak, akPassword, ek, names, Authorization.password(ekPassword), credentialBlob,
          encryptedSeed);
    }
    // the policy digest is computed with the session's hash: use the EK's nameAlg, with which its
    // authPolicy, PolicySecret(TPM_RH_ENDORSEMENT), was computed (SHA-256 for templates L-1/L-2)
    int session = startPolicySession(tpm, nameAlg);
    try {
      policySecret(tpm, Tpm2.RH_ENDORSEMENT, ekPassword, session);
      return activate(tpm, ak, akPassword, ek, names, Authorization.policy(session), credentialBlob, encryptedSeed);
    } finally {
      flushQuietly(tpm, session);
    }
  }

  /** The AK is authorised by an HMAC session (its password is not sent), the EK by {@code ekAuth}. */
  private static byte[] activate(TpmDevice tpm, int ak, String akPassword, int ek, byte[][] names,
      Authorization ekAuth, byte[] credentialBlob, byte[] encryptedSeed) throws IOException {
    Command c = Command.of("TPM2_ActivateCredential(key " + Tpm2.hex(ak) + ", EK " + Tpm2.hex(ek) + ")",
        Tpm2.CC_ACTIVATE_CREDENTIAL).handle(ak).handle(ek);
    // TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET: the size prefixes the wire format leaves out
    c.params().tpm2b(credentialBlob).tpm2b(encryptedSeed);
    HmacSession akSession = HmacSession.start(tpm);
    try {
      return akSession.execute(tpm, c, names, akPassword, ekAuth).params().tpm2b();
    } finally {
      flushQuietly(tpm, akSession.handle());
    }
  }

  private static void flushQuietly(TpmDevice tpm, int session) throws IOException {
    try {
      tpm.flush(session);
    } catch (TpmException e) {
      // already gone (the TPM drops a session whose command failed without continueSession)
    }
  }
}
