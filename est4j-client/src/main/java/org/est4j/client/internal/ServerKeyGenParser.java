package org.est4j.client.internal;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.est4j.client.EstResponseException;
import org.est4j.client.ServerKeyGenResult;
import org.est4j.protocol.Jca;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.MultipartPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multipart/mixed answer of /serverkeygen (RFC 7030 §4.4.2): a key part and a certificate
 * part, in either order.
 */
public final class ServerKeyGenParser {
  private static final Logger LOG = LoggerFactory.getLogger(ServerKeyGenParser.class);
  private static final String OP = "/serverkeygen";

  private ServerKeyGenParser() {}

  public static ServerKeyGenResult parse(HttpResponse r) throws EstResponseException {
    List<MultipartPart> parts = Responses.multipart(OP, r);
    byte[] keyDer = null;
    byte[] encryptedKey = null;
    X509Certificate cert = null;
    for (MultipartPart part : parts) {
      MediaType pt = Responses.partType(OP, part, "a part");
      if (pt.is(MediaTypes.PKCS8)) {
        if (keyDer != null || encryptedKey != null) {
          throw new EstResponseException(OP + ": more than one private key part");
        }
        keyDer = Responses.base64(OP, part.body(), "private key part");
      } else if (pt.is(MediaTypes.PKCS7_MIME)) {
        String smime = pt.parameter("smime-type").orElse("certs-only");
        if (smime.equalsIgnoreCase("server-generated-key")) {
          if (keyDer != null || encryptedKey != null) {
            throw new EstResponseException(OP + ": more than one private key part");
          }
          encryptedKey = Responses.base64(OP, part.body(), "encrypted private key part");
          continue;
        }
        if (!smime.equalsIgnoreCase("certs-only")) {
          throw new EstResponseException(OP + ": unexpected smime-type " + HttpWire.printable(smime));
        }
        if (cert != null) {
          throw new EstResponseException(OP + ": more than one certificate part");
        }
        List<X509Certificate> certs = Responses.certsOnly(OP, part.body(), "certificate part");
        if (certs.isEmpty()) {
          throw new EstResponseException(OP + ": the certificate part holds no certificate");
        }
        cert = certs.get(0);
      } else {
        throw new EstResponseException(OP + ": unexpected part Content-Type " + pt.essence());
      }
    }
    if (cert == null) {
      throw new EstResponseException(OP + ": the response has no certificate part");
    }
    if (encryptedKey != null) {
      return ServerKeyGenResult.encrypted(cert, encryptedKey);
    }
    if (keyDer == null) {
      throw new EstResponseException(OP + ": the response has no private key part");
    }
    return new ServerKeyGenResult(cert, privateKey(keyDer));
  }

  /** PKCS#8, or (with a warning) PKCS#1 RSA or SEC1 EC mislabelled as PKCS#8. */
  public static PrivateKey privateKey(byte[] der) throws EstResponseException {
    PrivateKeyInfo info;
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (seq.size() >= 3 && seq.getObjectAt(1) instanceof ASN1Sequence) {
        info = PrivateKeyInfo.getInstance(seq);
      } else if (seq.size() >= 9 && seq.getObjectAt(1) instanceof ASN1Integer) {
        LOG.warn("{}: the key part labelled application/pkcs8 holds a PKCS#1 RSA key; accepted", OP);
        info = new PrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            RSAPrivateKey.getInstance(seq));
      } else if (seq.size() >= 2 && seq.getObjectAt(1) instanceof ASN1OctetString) {
        ECPrivateKey ec = ECPrivateKey.getInstance(seq);
        if (ec.getParametersObject() == null) {
          throw new EstResponseException(OP + ": SEC1 EC private key without curve parameters");
        }
        LOG.warn("{}: the key part labelled application/pkcs8 holds a SEC1 EC key; accepted", OP);
        info = new PrivateKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
      } else {
        throw new EstResponseException(OP + ": the key part is not a PKCS#8 private key");
      }
      String alg = algorithm(info.getPrivateKeyAlgorithm().getAlgorithm());
      return Jca.keyFactory(alg).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (EstResponseException e) {
      throw e;
    } catch (java.io.IOException | IllegalArgumentException | GeneralSecurityException e) {
      throw new EstResponseException(OP + ": the key part is not a usable private key: " + e.getMessage(), e);
    }
  }

  private static String algorithm(ASN1ObjectIdentifier oid) throws EstResponseException {
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "RSA";
    }
    if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return "RSASSA-PSS";
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "EC";
    }
    if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return "Ed25519";
    }
    if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
      return "Ed448";
    }
    throw new EstResponseException(OP + ": unsupported private key algorithm " + oid);
  }
}
