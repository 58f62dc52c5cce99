package org.est4j.cli.estclient;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.util.encoders.Hex;
import org.est4j.protocol.CsrAttrs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code csrattrs}: GET /csrattrs (RFC 7030 §4.5), printed as the Go estclient prints it. */
@Command(name = "csrattrs", sortOptions = false, description = "request a list of CA-desired CSR attributes")
final class CsrAttrsCommand extends BaseCommand {
  @Mixin ServerOptions server;
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;

  @Override
  void run() throws Exception {
    boolean der = out.der();
    Settings s = new Settings(io(), keys);
    CsrAttrs attrs = Clients.build(s, server, "csrattrs", false).csrAttrs();
    byte[] content = der ? (attrs.isEmpty() ? new byte[0] : attrs.encoded()) : format(attrs).getBytes(StandardCharsets.UTF_8);
    Output.write(io(), out.out, "-out", content);
  }

  /**
   * Each entry in the server's order: {@code OID     : <oid>}; an attribute as {@code Type    :
   * <oid>} then {@code  Value  : v} (one value) or {@code  Values : v1} and {@code         : v2}.
   */
  static String format(CsrAttrs attrs) {
    StringBuilder sb = new StringBuilder();
    for (CsrAttrs.Entry e : attrs.entries()) {
      if (e instanceof CsrAttrs.Oid oid) {
        line(sb, "OID", oid.oid().getId());
      } else if (e instanceof CsrAttrs.Attribute a) {
        line(sb, "Type", a.type().getId());
        for (int i = 0; i < a.values().size(); i++) {
          String label = i > 0 ? " " : a.values().size() == 1 ? " Value" : " Values";
          line(sb, label, value(a.values().get(i)));
        }
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(String.format("%-8s: %s%n", label, value).replace(System.lineSeparator(), "\n"));
  }

  private static String value(ASN1Encodable v) {
    if (v instanceof ASN1ObjectIdentifier oid) {
      return oid.getId();
    }
    if (v instanceof ASN1Integer i) {
      return i.getValue().toString();
    }
    if (v instanceof ASN1String str) {
      return str.getString();
    }
    try {
      return Hex.toHexString(v.toASN1Primitive().getEncoded());
    } catch (java.io.IOException e) {
      return v.toString();
    }
  }
}
