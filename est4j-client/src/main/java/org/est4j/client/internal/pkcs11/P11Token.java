package org.est4j.client.internal.pkcs11;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.est4j.client.Pkcs11KeyException;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Finds a key pair on a token through the JDK's PKCS#11 binding: the slot whose token has the
 * label, a logged-in session, the private key object by CKA_ID/CKA_LABEL, and its public half
 * (public key object, else a certificate with the same CKA_ID, else an RSA private key's public
 * attributes). SunPKCS11's KeyStore cannot do this: it shows a private key only when a
 * certificate with the same CKA_ID is on the token, and a first enrollment has none yet.
 */
public final class P11Token {
  private P11Token() {}

  /**
   * Opens the key. Call {@link P11Access#problem()} first.
   *
   * @param pin null to skip C_Login (tokens whose keys need no login)
   */
  public static P11PrivateKey open(Path module, String tokenLabel, byte[] id, String label, char[] pin,
      String what) throws Pkcs11KeyException {
    PKCS11 p11 = load(module);
    try {
      long slot = slot(p11, tokenLabel, what);
      long session = p11.C_OpenSession(slot, Ck.CKF_SERIAL_SESSION, null, null);
      P11Session s = null;
      try {
        login(p11, session, pin, what);
        long key = findOne(p11, session, Ck.CKO_PRIVATE_KEY, id, label, what);
        PublicKey publicKey = publicKey(p11, session, key, id, label, what);
        s = new P11Session(p11, session, key);
        return P11PrivateKey.of(s, publicKey, what);
      } finally {
        if (s == null) {
          p11.C_CloseSession(session);
        }
      }
    } catch (PKCS11Exception e) {
      throw new Pkcs11KeyException(what + ": " + e.getMessage(), e);
    }
  }

  static PKCS11 load(Path module) throws Pkcs11KeyException {
    if (!Files.isRegularFile(module)) {
      throw new Pkcs11KeyException("the PKCS#11 library " + module + " does not exist");
    }
    CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
    args.flags = Ck.CKF_OS_LOCKING_OK; // several threads may sign (the server's CA key)
    try {
      // one instance per library and JVM, shared with SunPKCS11 providers: C_Initialize runs once
      return PKCS11.getInstance(module.toAbsolutePath().toString(), "C_GetFunctionList", args, false);
    } catch (IOException | PKCS11Exception e) {
      throw new Pkcs11KeyException("cannot load the PKCS#11 library " + module + ": " + e.getMessage(), e);
    }
  }

  static long slot(PKCS11 p11, String tokenLabel, String what) throws PKCS11Exception, Pkcs11KeyException {
    List<String> seen = new ArrayList<>();
    long found = -1;
    for (long slot : p11.C_GetSlotList(true)) {
      CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
      String l = label(info.label);
      seen.add("\"" + l + "\"");
      if (tokenLabel == null || tokenLabel.equals(l)) {
        if (found != -1) {
          throw new Pkcs11KeyException(what + ": several tokens " + (tokenLabel == null
              ? "are present; name one by its label" : "have this label"));
        }
        found = slot;
      }
    }
    if (found == -1) {
      throw new Pkcs11KeyException(what + ": no token " + (tokenLabel == null ? "" : "with the label \""
          + tokenLabel + "\" ") + "is present (tokens: " + (seen.isEmpty() ? "none" : String.join(", ", seen)) + ")");
    }
    return found;
  }

  /** CK_TOKEN_INFO.label: 32 UTF-8 bytes, blank padded; the wrapper hands each byte as a char. */
  private static String label(char[] padded) {
    byte[] b = new byte[padded.length];
    for (int i = 0; i < padded.length; i++) {
      b[i] = (byte) padded[i];
    }
    return new String(b, StandardCharsets.UTF_8).stripTrailing();
  }

  static void login(PKCS11 p11, long session, char[] pin, String what) throws Pkcs11KeyException {
    if (pin == null) {
      return;
    }
    try {
      p11.C_Login(session, Ck.CKU_USER, pin);
    } catch (PKCS11Exception e) {
      long rv = e.getErrorCode();
      if (rv == Ck.CKR_USER_ALREADY_LOGGED_IN) {
        return; // another session of this JVM logged in to the token: login is per application
      }
      if (rv == Ck.CKR_PIN_INCORRECT || rv == Ck.CKR_PIN_INVALID || rv == Ck.CKR_PIN_LEN_RANGE) {
        throw new Pkcs11KeyException(what + ": the token refused the PIN (wrong PIN)", e);
      }
      if (rv == Ck.CKR_PIN_LOCKED || rv == Ck.CKR_PIN_EXPIRED) {
        throw new Pkcs11KeyException(what + ": the user PIN is locked or expired; reset it with the"
            + " security officer PIN", e);
      }
      throw new Pkcs11KeyException(what + ": login failed: " + e.getMessage(), e);
    }
  }

  static CK_ATTRIBUTE[] template(long objectClass, byte[] id, String label) {
    List<CK_ATTRIBUTE> t = new ArrayList<>();
    t.add(new CK_ATTRIBUTE(Ck.CKA_CLASS, objectClass));
    if (id != null) {
      t.add(new CK_ATTRIBUTE(Ck.CKA_ID, id));
    }
    if (label != null) {
      t.add(new CK_ATTRIBUTE(Ck.CKA_LABEL, label.getBytes(StandardCharsets.UTF_8)));
    }
    return t.toArray(new CK_ATTRIBUTE[0]);
  }

  static long[] find(PKCS11 p11, long session, CK_ATTRIBUTE[] template) throws PKCS11Exception {
    p11.C_FindObjectsInit(session, template);
    try {
      return p11.C_FindObjects(session, 2);
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  }

  private static long findOne(PKCS11 p11, long session, long objectClass, byte[] id, String label, String what)
      throws PKCS11Exception, Pkcs11KeyException {
    long[] handles = find(p11, session, template(objectClass, id, label));
    if (handles.length == 0) {
      throw new Pkcs11KeyException(what + ": no such private key on the token (wrong id or label,"
          + " or the PIN is missing so private objects are hidden)");
    }
    if (handles.length > 1) {
      throw new Pkcs11KeyException(what + ": several private keys match; name the key by both id and label");
    }
    return handles[0];
  }

  private static PublicKey publicKey(PKCS11 p11, long session, long privateKey, byte[] id, String label,
      String what) throws PKCS11Exception, Pkcs11KeyException {
    try {
      long[] pub = find(p11, session, template(Ck.CKO_PUBLIC_KEY, id, label));
      if (pub.length == 1) {
        return fromAttributes(p11, session, pub[0], what);
      }
      if (id != null) {
        long[] cert = find(p11, session, template(Ck.CKO_CERTIFICATE, id, null));
        if (cert.length >= 1) {
          CK_ATTRIBUTE[] v = {new CK_ATTRIBUTE(Ck.CKA_VALUE)};
          p11.C_GetAttributeValue(session, cert[0], v);
          return CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(v[0].getByteArray())).getPublicKey();
        }
      }
      CK_ATTRIBUTE[] type = {new CK_ATTRIBUTE(Ck.CKA_KEY_TYPE)};
      p11.C_GetAttributeValue(session, privateKey, type);
      if (type[0].getLong() == Ck.CKK_RSA) {
        return fromAttributes(p11, session, privateKey, what); // RSA private keys carry n and e
      }
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new Pkcs11KeyException(what + ": cannot read the public key: " + e.getMessage(), e);
    }
    throw new Pkcs11KeyException(what + ": the token has no public key or certificate with the same"
        + " id/label as the private key, so its public key is unknown");
  }

  private static PublicKey fromAttributes(PKCS11 p11, long session, long handle, String what)
      throws PKCS11Exception, GeneralSecurityException, IOException, Pkcs11KeyException {
    CK_ATTRIBUTE[] type = {new CK_ATTRIBUTE(Ck.CKA_KEY_TYPE)};
    p11.C_GetAttributeValue(session, handle, type);
    long keyType = type[0].getLong();
    if (keyType == Ck.CKK_RSA) {
      CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(Ck.CKA_MODULUS), new CK_ATTRIBUTE(Ck.CKA_PUBLIC_EXPONENT)};
      p11.C_GetAttributeValue(session, handle, a);
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
          new BigInteger(1, a[0].getByteArray()), new BigInteger(1, a[1].getByteArray())));
    }
    if (keyType == Ck.CKK_EC) {
      CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(Ck.CKA_EC_PARAMS), new CK_ATTRIBUTE(Ck.CKA_EC_POINT)};
      p11.C_GetAttributeValue(session, handle, a);
      SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
          new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ASN1Primitive.fromByteArray(a[0].getByteArray())),
          ecPoint(a[1].getByteArray()));
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
    }
    throw new Pkcs11KeyException(what + ": unsupported key type " + keyType + " (est4j signs with RSA and EC keys)");
  }

  /** CKA_EC_POINT is a DER OCTET STRING around the point (v2.40); some tokens give the bare point. */
  static byte[] ecPoint(byte[] value) {
    if (value.length > 2 && value[0] == 0x04) {
      try {
        byte[] inner = ASN1OctetString.getInstance(value).getOctets();
        if (inner.length % 2 == 1 && (inner[0] == 0x04 || inner[0] == 0x02 || inner[0] == 0x03)
            && Arrays.equals(ASN1OctetString.getInstance(value).getEncoded(), value)) {
          return inner;
        }
      } catch (IOException | IllegalArgumentException e) {
        // not DER: the bare point
      }
    }
    return value;
  }
}
