package org.est4j.protocol.cms;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EncryptedData;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKEKRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Builds the key part of an encrypted /serverkeygen response (RFC 7030 §4.4.2): the key as an RFC
 * 5958 AsymmetricKeyPackage (content type id-ct-KP-aKeyPackage), signed in a SignedData by the
 * server's CA, encrypted in an EnvelopedData (AuthEnvelopedData for AES-GCM) to the recipient the
 * client named. Also the Go seed's inner form: the PKCS#8 key as id-data in a SignedData.
 */
public final class ServerKeyEnvelope {
  /** id-ct-KP-aKeyPackage (RFC 5958 §1). */
  public static final ASN1ObjectIdentifier ASYMMETRIC_KEY_PACKAGE = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.5");

  private static final SecureRandom RANDOM = new SecureRandom();

  private ServerKeyEnvelope() {}

  /**
   * SignedData(AsymmetricKeyPackage(pkcs8)) in EnvelopedData (or AuthEnvelopedData) for {@code recipient}.
   *
   * @param algorithms from {@link KeyGenAlgorithms#choose}, which checked them against the client's capabilities
   * @return a DER ContentInfo
   */
  public static byte[] seal(byte[] pkcs8, KeyPackageSigner signer, KeyRecipient recipient, KeyGenAlgorithms algorithms)
      throws GeneralSecurityException {
    byte[] signedData = sign(ASYMMETRIC_KEY_PACKAGE, keyPackage(pkcs8), signer);
    // RFC 5652 §6.1: the encrypted content is the SignedData itself, typed id-signedData.
    byte[] inner = signedDataContent(signedData);
    CMSTypedData content = new CMSProcessableByteArray(CMSObjectIdentifiers.signedData, inner);
    RecipientInfoGenerator ri = recipientInfo(recipient, algorithms);
    try {
      if (algorithms.authenticatedContent()) {
        CMSAuthEnvelopedDataGenerator g = new CMSAuthEnvelopedDataGenerator();
        g.addRecipientInfoGenerator(ri);
        // RFC 5083 §2.1: authAttrs are required for content other than id-data; contentType is the one needed.
        g.setAuthenticatedAttributeGenerator(parameters -> new AttributeTable(
            new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.signedData))));
        OutputAEADEncryptor aead = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(algorithms.content())
            .setProvider(CmsProvider.BC).build();
        return g.generate(content, aead).getEncoded();
      }
      CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
      g.addRecipientInfoGenerator(ri);
      return g.generate(content, new JceCMSContentEncryptorBuilder(algorithms.content()).setProvider(CmsProvider.BC)
          .build()).getEncoded();
    } catch (CMSException | IOException e) {
      throw new GeneralSecurityException("cannot encrypt the key: " + e.getMessage(), e);
    }
  }

  /** The Go seed's inner form: SignedData with the PKCS#8 key as id-data (a DER ContentInfo). */
  public static byte[] signedPkcs8(byte[] pkcs8, KeyPackageSigner signer) throws GeneralSecurityException {
    return sign(CMSObjectIdentifiers.data, pkcs8, signer);
  }

  /**
   * CMS EncryptedData (RFC 5652 §8) with AES-CBC under a pre-shared key (16, 24 or 32 bytes), for
   * the seed's {@code pkcs7} test label. Not the seed's own AES-128-GCM: OpenSSL refuses AEAD
   * ciphers in EncryptedData ("cipher aead in enveloped data", checked with 3.0) and Go's pkcs7
   * reads GCM only in its non-standard encoding, whereas AES-CBC with the IV as an OCTET STRING
   * is read by openssl {@code cms -EncryptedData_decrypt}, Go's {@code DecryptUsingPSK}, Bouncy
   * Castle and {@link PskEncryptedData#decrypt}.
   */
  public static byte[] encryptWithPresharedKey(byte[] content, byte[] key) throws GeneralSecurityException {
    ASN1ObjectIdentifier alg = switch (key.length) {
      case 16 -> CMSAlgorithm.AES128_CBC;
      case 24 -> CMSAlgorithm.AES192_CBC;
      case 32 -> CMSAlgorithm.AES256_CBC;
      default -> throw new IllegalArgumentException("a pre-shared AES key must have 16, 24 or 32 bytes, not " + key.length);
    };
    byte[] iv = new byte[16];
    RANDOM.nextBytes(iv);
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    EncryptedContentInfo eci = new EncryptedContentInfo(CMSObjectIdentifiers.data,
        new AlgorithmIdentifier(alg, new DEROctetString(iv)), new DEROctetString(c.doFinal(content)));
    try {
      return new ContentInfo(CMSObjectIdentifiers.encryptedData, new EncryptedData(eci)).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** AsymmetricKeyPackage ::= SEQUENCE SIZE (1..MAX) OF OneAsymmetricKey, with one key. */
  static byte[] keyPackage(byte[] pkcs8) throws GeneralSecurityException {
    try {
      return new DERSequence(PrivateKeyInfo.getInstance(pkcs8)).getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw new GeneralSecurityException("the generated key is not PKCS#8", e);
    }
  }

  static byte[] sign(ASN1ObjectIdentifier type, byte[] content, KeyPackageSigner signer) throws GeneralSecurityException {
    try {
      CMSSignedDataGenerator g = new CMSSignedDataGenerator();
      g.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(CmsProvider.BC).build())
              .build(signer.contentSigner(), signer.certificate()));
      g.addCertificates(new JcaCertStore(signer.certificates()));
      CMSSignedData sd = g.generate(new CMSProcessableByteArray(type, content), true);
      return sd.toASN1Structure().getEncoded(ASN1Encoding.DER);
    } catch (CMSException | OperatorCreationException | CertificateEncodingException | IOException e) {
      throw new GeneralSecurityException("cannot sign the key package: " + e.getMessage(), e);
    }
  }

  private static byte[] signedDataContent(byte[] contentInfo) throws GeneralSecurityException {
    try {
      return ContentInfo.getInstance(contentInfo).getContent().toASN1Primitive()
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static RecipientInfoGenerator recipientInfo(KeyRecipient recipient, KeyGenAlgorithms algorithms)
      throws GeneralSecurityException {
    if (recipient instanceof KeyRecipient.SharedKey shared) {
      return new JceKEKRecipientInfoGenerator(shared.keyId(), shared.secretKey()).setProvider(CmsProvider.BC);
    }
    KeyRecipient.PublicKeyRecipient pk = (KeyRecipient.PublicKeyRecipient) recipient;
    if (pk.rsa()) {
      AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
          algorithms.keyTransport(),
          new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
      return new JceKeyTransRecipientInfoGenerator(pk.keyId(), oaep, pk.key()).setProvider(CmsProvider.BC);
    }
    // stdDH single pass: an ephemeral key on the recipient's curve is the originator key.
    PublicKey recipientKey = KeyFactory.getInstance("EC", CmsProvider.BC)
        .generatePublic(new X509EncodedKeySpec(pk.key().getEncoded()));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", CmsProvider.BC);
    g.initialize(((ECPublicKey) recipientKey).getParams());
    KeyPair ephemeral = g.generateKeyPair();
    try {
      return new JceKeyAgreeRecipientInfoGenerator(algorithms.keyAgreement(), ephemeral.getPrivate(),
          ephemeral.getPublic(), algorithms.keyWrap())
          .setProvider(CmsProvider.BC)
          .addRecipient(pk.keyId(), recipientKey);
    } catch (CertificateEncodingException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
