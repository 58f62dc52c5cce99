package org.est4j.tpm.device;

import java.io.IOException;
import java.math.BigInteger;

/** TPM2_Sign (Part 3 §20.2) of an external digest by an unrestricted key. */
final class SignCommands {
  private SignCommands() {}

  /** With a password session: the password travels in clear to the TPM. */
  static TpmSignature sign(TpmDevice tpm, int key, String password, int scheme, int hashAlg, byte[] digest)
      throws IOException {
    Command c = command(key, scheme, hashAlg, digest).auth(Authorization.password(password));
    return signature(c, tpm.execute(c, 0).params());
  }

  /** With an HMAC session: the password never leaves the host. */
  static TpmSignature sign(TpmDevice tpm, HmacSession session, int key, byte[] keyName, String password, int scheme,
      int hashAlg, byte[] digest) throws IOException {
    Command c = command(key, scheme, hashAlg, digest);
    return signature(c, session.execute(tpm, c, new byte[][] {keyName}, password).params());
  }

  private static Command command(int key, int scheme, int hashAlg, byte[] digest) {
    if (scheme != Tpm2.ALG_RSASSA && scheme != Tpm2.ALG_RSAPSS && scheme != Tpm2.ALG_ECDSA) {
      throw new IllegalArgumentException(String.format("unsupported signature scheme 0x%04x", scheme));
    }
    if (digest.length != Tpm2.digestSize(hashAlg)) {
      throw new IllegalArgumentException("a " + Tpm2.jcaDigest(hashAlg) + " digest has "
          + Tpm2.digestSize(hashAlg) + " bytes, not " + digest.length);
    }
    Command c = Command.of("TPM2_Sign(" + Tpm2.hex(key) + ")", Tpm2.CC_SIGN).handle(key);
    // a NULL TPMT_TK_HASHCHECK: allowed for unrestricted keys only (restricted ones: TPM_RC_TICKET)
    c.params().tpm2b(digest).u16(scheme).u16(hashAlg).u16(Tpm2.ST_HASHCHECK).u32(Tpm2.RH_NULL).tpm2b(new byte[0]);
    return c;
  }

  private static TpmSignature signature(Command c, TpmReader p) throws TpmException {
    int sigAlg = p.u16();
    int hash = p.u16();
    if (sigAlg == Tpm2.ALG_ECDSA) {
      BigInteger r = new BigInteger(1, p.tpm2b());
      BigInteger s = new BigInteger(1, p.tpm2b());
      return new TpmSignature(sigAlg, hash, null, r, s);
    }
    if (sigAlg == Tpm2.ALG_RSASSA || sigAlg == Tpm2.ALG_RSAPSS) {
      return new TpmSignature(sigAlg, hash, p.tpm2b(), null, null);
    }
    throw new TpmException(c.name() + String.format(": unexpected signature algorithm 0x%04x", sigAlg));
  }
}
