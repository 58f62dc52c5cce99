package org.est4j.tpm.device;

import java.io.IOException;
import java.security.SecureRandom;

/**
 * A policy session satisfying the TCG default EK policy, PolicySecret(TPM_RH_ENDORSEMENT) (EK
 * Credential Profile §2.1.5), then TPM2_ActivateCredential (Part 3 §12.5) with it: the flow of
 * the seed's client (§1.8), unbound and unsalted, SHA-256.
 */
final class SessionCommands {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionCommands() {}

  static int startPolicySession(TpmDevice tpm) throws IOException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Command c = Command.of("TPM2_StartAuthSession(policy)", Tpm2.CC_START_AUTH_SESSION)
        .handle(Tpm2.RH_NULL).handle(Tpm2.RH_NULL);
    c.params().tpm2b(nonce).tpm2b(new byte[0]).u8(Tpm2.SE_POLICY).u16(Tpm2.ALG_NULL).u16(Tpm2.ALG_SHA256);
    return tpm.execute(c, 1).handle();
  }

  static void policySecret(TpmDevice tpm, int authHandle, String password, int session) throws IOException {
    Command c = Command.of("TPM2_PolicySecret(" + Tpm2.hex(authHandle) + ")", Tpm2.CC_POLICY_SECRET)
        .handle(authHandle).auth(Authorization.password(password)).handle(session);
    c.params().tpm2b(new byte[0]).tpm2b(new byte[0]).tpm2b(new byte[0]).u32(0);
    tpm.execute(c, 0);
  }

  static byte[] activateCredential(TpmDevice tpm, int ak, String akPassword, int ek, String endorsementPassword,
      byte[] credentialBlob, byte[] encryptedSeed) throws IOException {
    int session = startPolicySession(tpm);
    try {
      policySecret(tpm, Tpm2.RH_ENDORSEMENT, endorsementPassword, session);
      Command c = Command.of("TPM2_ActivateCredential(key " + Tpm2.hex(ak) + ", EK " + Tpm2.hex(ek) + ")",
          Tpm2.CC_ACTIVATE_CREDENTIAL)
          .handle(ak).auth(Authorization.password(akPassword))
          .handle(ek).auth(Authorization.policy(session));
      // TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET: the size prefixes the wire format leaves out
      c.params().tpm2b(credentialBlob).tpm2b(encryptedSeed);
      return tpm.execute(c, 0).params().tpm2b();
    } finally {
      try {
        tpm.flush(session);
      } catch (TpmException e) {
        // already gone (the TPM drops a session whose command failed without continueSession)
      }
    }
  }
}
