package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

/** RFC 9908 CertificationRequestInfoTemplate: encoding, decoding, and the config helpers. */
class CsrTemplateTest {

  @Test
  void roundTripsThroughCsrAttrs() throws Exception {
    CsrTemplate t = new CsrTemplate(List.of(CsrTemplate.field("CN"), CsrTemplate.field("O=Example Inc")),
        Optional.of(CsrTemplate.keyAlgorithm("ec:P-384")), List.of(CsrTemplate.extension("subjectAltName")));
    byte[] der = CsrAttrs.of(new CsrAttrs.Oid(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.840.113549.1.9.7")),
        t.toAttribute()).encoded();
    CsrAttrs decoded = CsrAttrs.decode(der);
    assertThat(decoded.entries()).hasSize(2);
    CsrAttrs.Attribute a = (CsrAttrs.Attribute) decoded.entries().get(1);
    assertThat(a.type().getId()).isEqualTo("1.2.840.113549.1.9.16.2.61");
    assertThat(CsrTemplate.find(decoded)).contains(t);
    assertThat(t.subject().get(0).value()).isEmpty();
    assertThat(t.extensions()).containsExactly(Extension.subjectAlternativeName);
  }

  @Test
  void theStructureIsVersionSubjectKeyThenMandatoryAttributes() throws Exception {
    ASN1Sequence seq = ASN1Sequence.getInstance(new CsrTemplate(List.of(CsrTemplate.field("CN")),
        Optional.of(CsrTemplate.keyAlgorithm("ec:P-256")), List.of()).toAttribute().values().get(0));
    assertThat(ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact()).isZero();
    assertThat(seq.getObjectAt(1)).isInstanceOf(ASN1Sequence.class);
    assertThat(((ASN1TaggedObject) seq.getObjectAt(2)).getTagNo()).isZero();
    assertThat(((ASN1TaggedObject) seq.getObjectAt(3)).getTagNo()).isEqualTo(1); // attributes is not OPTIONAL
    ASN1Sequence bare = ASN1Sequence.getInstance(new CsrTemplate(List.of(), Optional.empty(), List.of())
        .toAttribute().values().get(0));
    assertThat(bare.size()).isEqualTo(2);
    assertThat(((ASN1TaggedObject) bare.getObjectAt(1)).getTagNo()).isEqualTo(1);
  }

  @Test
  void configHelpersNameWhatIsWrong() {
    assertThatThrownBy(() -> CsrTemplate.field("NOPE=1")).hasMessageContaining("'NOPE'");
    assertThatThrownBy(() -> CsrTemplate.keyAlgorithm("dsa")).hasMessageContaining("'dsa'");
    assertThatThrownBy(() -> CsrTemplate.extension("x")).hasMessageContaining("'x'");
    assertThat(CsrTemplate.field("2.5.4.5=42").value()).contains("42");
  }

  @Test
  void aMalformedTemplateIsAProtocolError() {
    CsrAttrs bad = CsrAttrs.of(new CsrAttrs.Attribute(CsrTemplate.ID_TEMPLATE, new ASN1Integer(1)));
    assertThatThrownBy(() -> CsrTemplate.find(bad)).isInstanceOf(EstProtocolException.class);
  }
}
