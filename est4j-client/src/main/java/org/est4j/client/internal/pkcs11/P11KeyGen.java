package org.est4j.client.internal.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.est4j.client.Pkcs11KeyException;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * C_GenerateKeyPair on a token: a persistent (CKA_TOKEN) key pair whose private half is
 * sensitive and not extractable, so it can only ever sign on that token. Both halves get the
 * same CKA_LABEL and CKA_ID, which {@link P11Token#open} finds them by. Refuses when a private key
 * with that label or id exists: nothing on a token is replaced.
 */
public final class P11KeyGen {
  private static final Map<String, ASN1ObjectIdentifier> CURVES = Map.of(
      "P-256", SECObjectIdentifiers.secp256r1,
      "P-384", SECObjectIdentifiers.secp384r1,
      "P-521", SECObjectIdentifiers.secp521r1);

  private P11KeyGen() {}

  /**
   * Generates the key pair. Call {@link P11Access#problem()} first.
   *
   * @param keyType {@code ec:P-256}, {@code ec:P-384}, {@code ec:P-521}, {@code rsa:2048},
   *     {@code rsa:3072} or {@code rsa:4096}
   * @param id the CKA_ID, or null for 16 random bytes
   */
  public static void generate(Path module, String tokenLabel, byte[] id, String label, char[] pin, String keyType,
      String what) throws Pkcs11KeyException {
    if (label == null || label.isEmpty()) {
      throw new Pkcs11KeyException(what + ": a generated key needs a label (CKA_LABEL)");
    }
    byte[] ckaId = id;
    if (ckaId == null) {
      ckaId = new byte[16];
      new SecureRandom().nextBytes(ckaId);
    }
    CK_MECHANISM mechanism;
    List<CK_ATTRIBUTE> pub = new ArrayList<>();
    String type = keyType.trim();
    String lower = type.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("ec:") && CURVES.containsKey(type.substring(3).toUpperCase(Locale.ROOT))) {
        mechanism = new CK_MECHANISM(Ck.CKM_EC_KEY_PAIR_GEN);
        pub.add(new CK_ATTRIBUTE(Ck.CKA_EC_PARAMS, CURVES.get(type.substring(3).toUpperCase(Locale.ROOT)).getEncoded()));
      } else if (lower.matches("rsa:(2048|3072|4096)")) {
        mechanism = new CK_MECHANISM(Ck.CKM_RSA_PKCS_KEY_PAIR_GEN);
        pub.add(new CK_ATTRIBUTE(Ck.CKA_MODULUS_BITS, Long.parseLong(lower.substring(4))));
        pub.add(new CK_ATTRIBUTE(Ck.CKA_PUBLIC_EXPONENT, new byte[] {1, 0, 1}));
      } else {
        throw new Pkcs11KeyException(what + ": cannot generate a '" + keyType + "' key on a token: use ec:P-256,"
            + " ec:P-384, ec:P-521, rsa:2048, rsa:3072 or rsa:4096");
      }
    } catch (IOException e) {
      throw new Pkcs11KeyException(what + ": cannot encode the curve: " + e.getMessage(), e);
    }
    byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
    pub.add(new CK_ATTRIBUTE(Ck.CKA_TOKEN, true));
    pub.add(new CK_ATTRIBUTE(Ck.CKA_VERIFY, true));
    pub.add(new CK_ATTRIBUTE(Ck.CKA_LABEL, labelBytes));
    pub.add(new CK_ATTRIBUTE(Ck.CKA_ID, ckaId));
    CK_ATTRIBUTE[] priv = {
        new CK_ATTRIBUTE(Ck.CKA_TOKEN, true),
        new CK_ATTRIBUTE(Ck.CKA_PRIVATE, true),
        new CK_ATTRIBUTE(Ck.CKA_SENSITIVE, true),
        new CK_ATTRIBUTE(Ck.CKA_EXTRACTABLE, false),
        new CK_ATTRIBUTE(Ck.CKA_SIGN, true),
        new CK_ATTRIBUTE(Ck.CKA_LABEL, labelBytes),
        new CK_ATTRIBUTE(Ck.CKA_ID, ckaId)};
    PKCS11 p11 = P11Token.load(module);
    try {
      long slot = P11Token.slot(p11, tokenLabel, what);
      long session = p11.C_OpenSession(slot, Ck.CKF_SERIAL_SESSION | Ck.CKF_RW_SESSION, null, null);
      try {
        P11Token.login(p11, session, pin, what);
        if (P11Token.find(p11, session, P11Token.template(Ck.CKO_PRIVATE_KEY, null, label)).length > 0
            || P11Token.find(p11, session, P11Token.template(Ck.CKO_PRIVATE_KEY, ckaId, null)).length > 0) {
          throw new Pkcs11KeyException(what + ": the token already has a private key with this label or id;"
              + " nothing was generated (delete it first, e.g. pkcs11-tool --delete-object, or choose another name)");
        }
        p11.C_GenerateKeyPair(session, mechanism, pub.toArray(new CK_ATTRIBUTE[0]), priv);
      } finally {
        p11.C_CloseSession(session);
      }
    } catch (PKCS11Exception e) {
      throw new Pkcs11KeyException(what + ": C_GenerateKeyPair failed: " + e.getMessage(), e);
    }
  }
}
