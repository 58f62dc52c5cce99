package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MediaTypeTest {
  @Test
  void parsesTheEstTypes() throws Exception {
    MediaType certsOnly = MediaType.parse(MediaTypes.CERTS_ONLY);
    assertThat(certsOnly.type()).isEqualTo("application");
    assertThat(certsOnly.subtype()).isEqualTo("pkcs7-mime");
    assertThat(certsOnly.essence()).isEqualTo(MediaTypes.PKCS7_MIME);
    assertThat(certsOnly.parameter("smime-type")).contains("certs-only");
    assertThat(certsOnly.toString()).isEqualTo(MediaTypes.CERTS_ONLY);
    assertThat(MediaType.parse(MediaTypes.PKCS10).is(MediaTypes.PKCS10)).isTrue();
  }

  @Test
  void caseAndWhitespaceAreNormalised() throws Exception {
    MediaType type = MediaType.parse("  Application / PKCS7-MIME ;  SMIME-Type = certs-only  ");
    assertThat(type.essence()).isEqualTo("application/pkcs7-mime");
    assertThat(type.parameter("smime-type")).contains("certs-only");
    assertThat(type.parameter("SMIME-TYPE")).contains("certs-only");
    assertThat(type.is("APPLICATION/pkcs7-mime")).isTrue();
    assertThat(type.is("application/pkcs10")).isFalse();
  }

  @Test
  void valuesKeepTheirCase() throws Exception {
    assertThat(MediaType.parse("multipart/mixed; boundary=AbC").parameter("boundary")).contains("AbC");
  }

  @Test
  void quotedValuesAreUnquoted() throws Exception {
    MediaType type =
        MediaType.parse("multipart/mixed; boundary=\"a; b=\\\"c\\\\\"; charset=utf-8");
    assertThat(type.parameter("boundary")).contains("a; b=\"c\\");
    assertThat(type.parameter("charset")).contains("utf-8");
    assertThat(MediaType.parse(type.toString())).isEqualTo(type);
  }

  @Test
  void strayAndTrailingSemicolonsAndBareNamesAreTolerated() throws Exception {
    MediaType type = MediaType.parse("application/pkcs7-mime; smime-type=certs-only;");
    assertThat(type.parameter("smime-type")).contains("certs-only");
    assertThat(type.parameters()).hasSize(1);

    MediaType messy = MediaType.parse("application/pkcs10;;flag; name=x ;");
    assertThat(messy.essence()).isEqualTo("application/pkcs10");
    assertThat(messy.parameters()).containsOnlyKeys("name");
    assertThat(messy.parameter("flag")).isEmpty();
  }

  @Test
  void firstOfRepeatedParametersWins() throws Exception {
    assertThat(MediaType.parse("a/b; x=1; X=2").parameter("x")).contains("1");
  }

  @Test
  void rejectsMissingOrMalformedTypes() {
    String[] bad = {null, "", "   ", "application", "application/", "/pkcs10", "; a=b",
        "appli cation/x", "a/b/c"};
    for (String header : bad) {
      assertThatThrownBy(() -> MediaType.parse(header))
          .as(String.valueOf(header))
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("malformed or missing Content-Type header");
    }
  }
}
