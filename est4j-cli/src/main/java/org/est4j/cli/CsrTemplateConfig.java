package org.est4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.est4j.protocol.CsrTemplate;

/**
 * {@code csrattrs.template}: the RFC 9908 CertificationRequestInfoTemplate a label advertises.
 * {@code subject: [CN, "O=Example Inc"]} (a bare type for the client to fill in, {@code T=V} to
 * dictate), {@code key: ec:P-256}, {@code extensions: [subjectAltName]}.
 */
final class CsrTemplateConfig {
  private CsrTemplateConfig() {}

  static CsrTemplate read(ConfigNode t) throws ConfigException {
    t.allowOnly(Set.of("subject", "key", "extensions"));
    List<CsrTemplate.Field> subject = new ArrayList<>();
    for (String f : t.strings("subject")) {
      try {
        subject.add(CsrTemplate.field(f));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(t.key("subject"), e.getMessage());
      }
    }
    Optional<AlgorithmIdentifier> key = Optional.empty();
    Optional<String> keyText = t.string("key").filter(s -> !s.isBlank());
    if (keyText.isPresent()) {
      try {
        key = Optional.of(CsrTemplate.keyAlgorithm(keyText.get()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(t.key("key"), e.getMessage());
      }
    }
    List<ASN1ObjectIdentifier> extensions = new ArrayList<>();
    for (String e : t.strings("extensions")) {
      try {
        extensions.add(CsrTemplate.extension(e));
      } catch (IllegalArgumentException x) {
        throw new ConfigException(t.key("extensions"), x.getMessage());
      }
    }
    return new CsrTemplate(subject, key, extensions);
  }
}
