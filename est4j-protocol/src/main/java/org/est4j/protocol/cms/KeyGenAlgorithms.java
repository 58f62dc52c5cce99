package org.est4j.protocol.cms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.est4j.protocol.EstProtocolException;

/**
 * The algorithms an encrypted server-generated key is protected with, chosen from the client's
 * SMIMECapabilities (RFC 8551 §2.5.2: the algorithms it can decrypt with, most preferred first).
 *
 * <p>Capabilities fall into four classes: content encryption, RSA key transport, EC key agreement
 * and key wrap. For each class the client named, the first one we offer is used; if it named
 * some of a class but none we offer, the request cannot be honoured and {@link #choose} says which
 * ones it named and which we offer, rather than silently using something the client did not list.
 * A class the client did not mention gets the default: AES-256-CBC in EnvelopedData (RFC 7030
 * §4.4.2 names EnvelopedData; the SignedData inside it authenticates the key), RSAES-OAEP with
 * SHA-256, ECDH dhSinglePass-stdDH-sha256kdf-scheme, AES-256 key wrap. AES-GCM is used only when
 * the client lists it, in AuthEnvelopedData (RFC 5083, as RFC 5084 requires for GCM).
 *
 * @param content content-encryption algorithm
 * @param keyTransport RSA key transport algorithm (id-RSAES-OAEP)
 * @param keyAgreement ECDH key agreement scheme
 * @param keyWrap key wrap algorithm for key agreement
 */
public record KeyGenAlgorithms(
    ASN1ObjectIdentifier content,
    ASN1ObjectIdentifier keyTransport,
    ASN1ObjectIdentifier keyAgreement,
    ASN1ObjectIdentifier keyWrap) {

  /** The choice when the client states no capabilities. */
  public static final KeyGenAlgorithms DEFAULT =
      new KeyGenAlgorithms(CMSAlgorithm.AES256_CBC, PKCSObjectIdentifiers.id_RSAES_OAEP, CMSAlgorithm.ECDH_SHA256KDF,
          CMSAlgorithm.AES256_WRAP);

  private static final Map<ASN1ObjectIdentifier, String> CONTENT_OFFERED = names(
      CMSAlgorithm.AES256_CBC, "aes256-CBC", CMSAlgorithm.AES192_CBC, "aes192-CBC", CMSAlgorithm.AES128_CBC, "aes128-CBC",
      CMSAlgorithm.AES256_GCM, "aes256-GCM", CMSAlgorithm.AES128_GCM, "aes128-GCM");
  private static final Map<ASN1ObjectIdentifier, String> CONTENT_REFUSED = names(
      CMSAlgorithm.DES_EDE3_CBC, "des-ede3-cbc", CMSAlgorithm.DES_CBC, "des-cbc", CMSAlgorithm.RC2_CBC, "rc2-cbc",
      CMSAlgorithm.AES192_GCM, "aes192-GCM", CMSAlgorithm.AES128_CCM, "aes128-CCM", CMSAlgorithm.AES256_CCM, "aes256-CCM",
      CMSAlgorithm.ChaCha20Poly1305, "chacha20-poly1305");
  private static final Map<ASN1ObjectIdentifier, String> TRANSPORT_OFFERED = names(
      PKCSObjectIdentifiers.id_RSAES_OAEP, "id-RSAES-OAEP");
  private static final Map<ASN1ObjectIdentifier, String> TRANSPORT_REFUSED = names(
      PKCSObjectIdentifiers.rsaEncryption, "rsaEncryption (RSAES-PKCS1-v1_5)", CMSAlgorithm.RSA_KEM, "id-rsa-kem");
  private static final Map<ASN1ObjectIdentifier, String> AGREEMENT_OFFERED = names(
      CMSAlgorithm.ECDH_SHA256KDF, "dhSinglePass-stdDH-sha256kdf-scheme",
      CMSAlgorithm.ECDH_SHA384KDF, "dhSinglePass-stdDH-sha384kdf-scheme",
      CMSAlgorithm.ECDH_SHA512KDF, "dhSinglePass-stdDH-sha512kdf-scheme");
  private static final Map<ASN1ObjectIdentifier, String> AGREEMENT_REFUSED = names(
      CMSAlgorithm.ECDH_SHA1KDF, "dhSinglePass-stdDH-sha1kdf-scheme",
      CMSAlgorithm.ECDH_SHA224KDF, "dhSinglePass-stdDH-sha224kdf-scheme",
      CMSAlgorithm.ECCDH_SHA1KDF, "dhSinglePass-cofactorDH-sha1kdf-scheme",
      CMSAlgorithm.ECCDH_SHA256KDF, "dhSinglePass-cofactorDH-sha256kdf-scheme",
      CMSAlgorithm.ECMQV_SHA1KDF, "mqvSinglePass-sha1kdf-scheme");
  private static final Map<ASN1ObjectIdentifier, String> WRAP_OFFERED = names(
      CMSAlgorithm.AES256_WRAP, "id-aes256-wrap", CMSAlgorithm.AES192_WRAP, "id-aes192-wrap",
      CMSAlgorithm.AES128_WRAP, "id-aes128-wrap");
  private static final Map<ASN1ObjectIdentifier, String> WRAP_REFUSED = names(
      CMSAlgorithm.DES_EDE3_WRAP, "id-alg-CMS3DESwrap", CMSAlgorithm.AES128_WRAP_PAD, "id-aes128-wrap-pad",
      CMSAlgorithm.AES256_WRAP_PAD, "id-aes256-wrap-pad");

  /** Whether the content algorithm needs AuthEnvelopedData (an AEAD cipher). */
  public boolean authenticatedContent() {
    return content.equals(CMSAlgorithm.AES256_GCM) || content.equals(CMSAlgorithm.AES128_GCM);
  }

  /**
   * Chooses from the client's capabilities (see the class comment).
   *
   * @throws EstProtocolException naming the class, the algorithms the client listed and the ones offered
   */
  public static KeyGenAlgorithms choose(List<ASN1ObjectIdentifier> capabilities) throws EstProtocolException {
    return new KeyGenAlgorithms(
        pick(capabilities, CONTENT_OFFERED, CONTENT_REFUSED, DEFAULT.content, "content-encryption"),
        pick(capabilities, TRANSPORT_OFFERED, TRANSPORT_REFUSED, DEFAULT.keyTransport, "RSA key-transport"),
        pick(capabilities, AGREEMENT_OFFERED, AGREEMENT_REFUSED, DEFAULT.keyAgreement, "EC key-agreement"),
        pick(capabilities, WRAP_OFFERED, WRAP_REFUSED, DEFAULT.keyWrap, "key-wrap"));
  }

  /**
   * The AES key wrap algorithm for a shared key of {@code keyBytes} bytes (16, 24 or 32), which
   * must be among the client's key-wrap capabilities if it listed any.
   *
   * @throws EstProtocolException if the client listed key-wrap algorithms but not this one
   */
  public static ASN1ObjectIdentifier keyWrapFor(int keyBytes, List<ASN1ObjectIdentifier> capabilities)
      throws EstProtocolException {
    ASN1ObjectIdentifier wrap = switch (keyBytes) {
      case 16 -> CMSAlgorithm.AES128_WRAP;
      case 24 -> CMSAlgorithm.AES192_WRAP;
      case 32 -> CMSAlgorithm.AES256_WRAP;
      default -> throw new IllegalArgumentException("a shared key must have 16, 24 or 32 bytes, not " + keyBytes);
    };
    List<ASN1ObjectIdentifier> listed = listed(capabilities, WRAP_OFFERED, WRAP_REFUSED);
    if (!listed.isEmpty() && !listed.contains(wrap)) {
      throw new EstProtocolException("cannot honour the CSR's SMIMECapabilities: the shared key for this identifier"
          + " is wrapped with " + name(wrap) + ", which the client's key-wrap capabilities (" + describe(listed)
          + ") do not include");
    }
    return wrap;
  }

  /** A readable name of an algorithm we know, else its OID. */
  public static String name(ASN1ObjectIdentifier oid) {
    for (Map<ASN1ObjectIdentifier, String> m : List.of(CONTENT_OFFERED, CONTENT_REFUSED, TRANSPORT_OFFERED,
        TRANSPORT_REFUSED, AGREEMENT_OFFERED, AGREEMENT_REFUSED, WRAP_OFFERED, WRAP_REFUSED)) {
      if (m.containsKey(oid)) {
        return m.get(oid) + " (" + oid.getId() + ")";
      }
    }
    return oid.getId();
  }

  private static ASN1ObjectIdentifier pick(List<ASN1ObjectIdentifier> caps, Map<ASN1ObjectIdentifier, String> offered,
      Map<ASN1ObjectIdentifier, String> refused, ASN1ObjectIdentifier fallback, String what) throws EstProtocolException {
    List<ASN1ObjectIdentifier> listed = listed(caps, offered, refused);
    if (listed.isEmpty()) {
      return fallback;
    }
    for (ASN1ObjectIdentifier oid : listed) {
      if (offered.containsKey(oid)) {
        return oid;
      }
    }
    throw new EstProtocolException("cannot honour the CSR's SMIMECapabilities: none of its " + what + " algorithms ("
        + describe(listed) + ") is offered; this server offers " + String.join(", ", offered.values()));
  }

  private static List<ASN1ObjectIdentifier> listed(List<ASN1ObjectIdentifier> caps,
      Map<ASN1ObjectIdentifier, String> offered, Map<ASN1ObjectIdentifier, String> refused) {
    List<ASN1ObjectIdentifier> out = new ArrayList<>();
    for (ASN1ObjectIdentifier c : caps) {
      if (offered.containsKey(c) || refused.containsKey(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static String describe(List<ASN1ObjectIdentifier> oids) {
    List<String> names = new ArrayList<>();
    for (ASN1ObjectIdentifier o : oids) {
      names.add(name(o));
    }
    return String.join(", ", names);
  }

  private static Map<ASN1ObjectIdentifier, String> names(Object... pairs) {
    Map<ASN1ObjectIdentifier, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((ASN1ObjectIdentifier) pairs[i], (String) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  static Set<ASN1ObjectIdentifier> offeredContent() {
    return CONTENT_OFFERED.keySet();
  }
}
