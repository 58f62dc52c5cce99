package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

class CsrAttrsTest {
  /** RFC 7030 §4.5.2, 67 bytes, in the RFC's order. */
  static final byte[] RFC_EXAMPLE =
      HexFormat.of()
          .parseHex(
              "3041"
                  + "06092a864886f70d010907"
                  + "3012" + "06072a8648ce3d0201" + "3107" + "06052b81040022"
                  + "3016" + "06092a864886f70d01090e" + "3109" + "06072b060101010116"
                  + "06082a8648ce3d040303");

  /** The same entries as the Go seed marshals them (OIDs first): its csrattrs_test golden vector. */
  static final byte[] SEED_EXAMPLE =
      HexFormat.of()
          .parseHex(
              "3041"
                  + "06092a864886f70d010907"
                  + "06082a8648ce3d040303"
                  + "3016" + "06092a864886f70d01090e" + "3109" + "06072b060101010116"
                  + "3012" + "06072a8648ce3d0201" + "3107" + "06052b81040022");

  static final byte[] THREE_VALUES =
      HexFormat.of().parseHex("3016301406032a0304310d0101ff02012a13056265616e73");

  @Test
  void rfcExampleEncodesByteForByte() {
    assertThat(RFC_EXAMPLE).hasSize(67);
    assertThat(CsrAttrs.rfc7030Example().encoded()).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void rfcExampleDecodesToItsEntriesInOrder() throws Exception {
    CsrAttrs attrs = CsrAttrs.decode(RFC_EXAMPLE);

    assertThat(attrs.entries())
        .containsExactly(
            new CsrAttrs.Oid(PKCSObjectIdentifiers.pkcs_9_at_challengePassword),
            new CsrAttrs.Attribute(
                X9ObjectIdentifiers.id_ecPublicKey, List.of(SECObjectIdentifiers.secp384r1)),
            new CsrAttrs.Attribute(
                PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                List.of(new ASN1ObjectIdentifier("1.3.6.1.1.1.1.22"))),
            new CsrAttrs.Oid(X9ObjectIdentifiers.ecdsa_with_SHA384));
    assertThat(attrs).isEqualTo(CsrAttrs.rfc7030Example());
  }

  @Test
  void theSeedsOidsFirstFormRoundTripsInItsOwnOrder() throws Exception {
    CsrAttrs seed = CsrAttrs.decode(SEED_EXAMPLE);
    assertThat(seed.encoded()).isEqualTo(SEED_EXAMPLE);
    assertThat(seed.entries()).containsExactlyInAnyOrderElementsOf(CsrAttrs.rfc7030Example().entries());
  }

  @Test
  void rfcExampleDecodesFromTheRfcBase64Text() throws Exception {
    byte[] der =
        EstBase64.decode(
            "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJ\r\n"
                + "BgcrBgEBAQEWBggqhkjOPQQDAw==\r\n");
    assertThat(der).isEqualTo(RFC_EXAMPLE);
    assertThat(CsrAttrs.decode(der).encoded()).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void emptyIsAnEmptySequence() throws Exception {
    assertThat(CsrAttrs.empty().encoded()).isEqualTo(new byte[] {0x30, 0x00});
    assertThat(CsrAttrs.decode(new byte[] {0x30, 0x00}).isEmpty()).isTrue();
    assertThat(CsrAttrs.of(List.of())).isEqualTo(CsrAttrs.empty());
  }

  @Test
  void attributeWithMixedValueTypes() throws Exception {
    CsrAttrs attrs =
        CsrAttrs.of(
            new CsrAttrs.Attribute(
                new ASN1ObjectIdentifier("1.2.3.4"),
                ASN1Boolean.TRUE,
                new ASN1Integer(42),
                new DERPrintableString("beans")));

    assertThat(attrs.encoded()).isEqualTo(THREE_VALUES);
    assertThat(CsrAttrs.decode(THREE_VALUES)).isEqualTo(attrs);
  }

  @Test
  void preservesEntryOrderUnlikeTheGoSeed() throws Exception {
    CsrAttrs attrs =
        CsrAttrs.of(
            new CsrAttrs.Attribute(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp384r1),
            new CsrAttrs.Oid(PKCSObjectIdentifiers.pkcs_9_at_challengePassword));
    byte[] der = attrs.encoded();

    assertThat(HexFormat.of().formatHex(der)).startsWith("301f3012");
    assertThat(CsrAttrs.decode(der).entries()).isEqualTo(attrs.entries());
  }

  @Test
  void unsortedSetValuesAndUnknownTypesReEncodeVerbatim() throws Exception {
    // Values deliberately not in DER SET order (PrintableString before BOOLEAN), an unknown
    // OID, a context-tagged value and a nested sequence.
    byte[] der =
        HexFormat.of()
            .parseHex(
                "3020" + "0603550403"
                    + "3019" + "06052b06018f7f" + "3110" + "13026869"
                    + "0101ff" + "a003020101" + "30020500");
    CsrAttrs attrs = CsrAttrs.decode(der);
    assertThat(attrs.encoded()).isEqualTo(der);
    CsrAttrs.Attribute attribute = (CsrAttrs.Attribute) attrs.entries().get(1);
    assertThat(attribute.values()).hasSize(4);
    assertThat(attribute.values().get(0)).isEqualTo(new DERPrintableString("hi"));
  }

  @Test
  void rejectsMalformedInput() {
    String[] bad = {
      "", // nothing
      "3100", // SET at top level
      "0500", // NULL
      "3000" + "00", // trailing byte
      "3002" + "0500", // NULL entry
      "3003" + "020101", // INTEGER entry
      "3004" + "3002" + "0500", // attribute without OID
      "3007" + "3005" + "0603550403", // attribute without values
      "3009" + "3007" + "0603550403" + "3100", // empty value set
      "300b" + "3009" + "0603550403" + "3002" + "0500", // values not a SET
      "3041", // truncated
    };
    for (String hex : bad) {
      assertThatThrownBy(() -> CsrAttrs.decode(HexFormat.of().parseHex(hex)))
          .as(hex)
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("malformed CSR attributes");
    }
  }

  @Test
  void attributeIsImmutableAndNeedsValues() {
    List<ASN1Encodable> values = new java.util.ArrayList<>(List.of(ASN1Boolean.TRUE));
    CsrAttrs.Attribute attribute = new CsrAttrs.Attribute(new ASN1ObjectIdentifier("1.2.3"), values);
    values.clear();
    assertThat(attribute.values()).hasSize(1);
    assertThatThrownBy(() -> attribute.values().add(ASN1Boolean.FALSE))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new CsrAttrs.Attribute(new ASN1ObjectIdentifier("1.2.3"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
