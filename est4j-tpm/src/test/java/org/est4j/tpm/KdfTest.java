package org.est4j.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KDFa and KDFe against OpenSSL 3's independent implementations: KBKDF in counter mode with HMAC
 * (same layout: counter || label || 0 || context || L) and SSKDF with a hash (counter || Z ||
 * fixed info).
 */
class KdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void kdfaMatchesOpensslKbkdf(@TempDir Path dir) throws Exception {
    Path openssl = Tools.require("openssl", "openssl");
    byte[] key = HEX.parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    byte[] context = HEX.parseHex("000b0102030405060708090a0b0c0d0e0f");
    for (TpmHash hash : TpmHash.values()) {
      for (int bits : new int[] {128, 256, 1000 * 8}) {
        byte[] ours = Kdf.kdfA(hash, key, "STORAGE", context, null, bits);
        String theirs = Tools.check(dir, Map.of(), openssl.toString(), "kdf", "-keylen",
            String.valueOf(bits / 8), "-kdfopt", "mac:HMAC", "-kdfopt", "digest:" + hash.jcaName().replace("-", ""),
            "-kdfopt", "hexkey:" + HEX.formatHex(key),
            "-kdfopt", "hexsalt:" + HEX.formatHex("STORAGE".getBytes(StandardCharsets.US_ASCII)),
            "-kdfopt", "hexinfo:" + HEX.formatHex(context), "KBKDF");
        assertThat(HEX.formatHex(ours)).isEqualTo(theirs.trim().replace(":", "").toLowerCase());
      }
    }
  }

  @Test
  void kdfeMatchesOpensslSskdf(@TempDir Path dir) throws Exception {
    Path openssl = Tools.require("openssl", "openssl");
    byte[] z = HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    byte[] u = HEX.parseHex("aa".repeat(32));
    byte[] v = HEX.parseHex("bb".repeat(32));
    for (TpmHash hash : TpmHash.values()) {
      byte[] ours = Kdf.kdfE(hash, z, "IDENTITY", u, v, 600 * 8);
      byte[] info = new TpmWriter().bytes("IDENTITY".getBytes(StandardCharsets.US_ASCII)).u8(0)
          .bytes(u).bytes(v).toByteArray();
      String theirs = Tools.check(dir, Map.of(), openssl.toString(), "kdf", "-keylen", "600",
          "-kdfopt", "digest:" + hash.jcaName().replace("-", ""),
          "-kdfopt", "hexkey:" + HEX.formatHex(z), "-kdfopt", "hexinfo:" + HEX.formatHex(info),
          "SSKDF");
      assertThat(HEX.formatHex(ours)).isEqualTo(theirs.trim().replace(":", "").toLowerCase());
    }
  }

  @Test
  void partialOctetIsMasked() {
    byte[] full = Kdf.kdfA(TpmHash.SHA256, new byte[] {1}, "X", null, null, 16);
    byte[] twelve = Kdf.kdfA(TpmHash.SHA256, new byte[] {1}, "X", null, null, 12);
    assertThat(twelve).hasSize(2);
    assertThat(twelve[0] & 0xf0).isZero();
    // the bit count is part of the fixed input, so 12 bits are not a prefix of 16
    assertThat(twelve).isNotEqualTo(full);
  }
}
