package org.est4j.tpm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command encoding, response parsing and response codes, without a TPM. */
class MarshallingTest {
  static final HexFormat HEX = HexFormat.of();
  @TempDir Path dir;

  @Test
  void commandsEncodeAsPart1Says() {
    Command startup = Command.of("TPM2_Startup", Tpm2.CC_STARTUP);
    startup.params().u16(0);
    assertThat(HEX.formatHex(startup.encode())).isEqualTo("80010000000c000001440000");

    Command flush = Command.of("TPM2_FlushContext", Tpm2.CC_FLUSH_CONTEXT);
    flush.params().u32(0x80000001);
    assertThat(HEX.formatHex(flush.encode())).isEqualTo("80010000000e0000016580000001");

    // a password session: handle TPM_RS_PW, empty nonce, continueSession, the password as HMAC
    Command c = Command.of("TPM2_NV_Read", Tpm2.CC_NV_READ).handle(0x01C00002)
        .auth(Authorization.password("ab")).handle(0x01C00002);
    c.params().u16(512).u16(0);
    assertThat(HEX.formatHex(c.encode())).isEqualTo(
        "8002" + "00000025" + "0000014e" + "01c00002" + "01c00002"
            + "0000000b" + "40000009" + "0000" + "01" + "00026162" + "0200" + "0000");
    c.clearSecrets();
    assertThat(HEX.formatHex(c.encode())).contains("00020000"); // the password bytes wiped
  }

  @Test
  void responsesAndResponseCodes() throws Exception {
    Command c = Command.of("TPM2_Sign(0x81000001)", Tpm2.CC_SIGN);
    assertThatThrownBy(() -> Response.parse(c, HEX.parseHex("80010000000a0000098e"), 0))
        .isInstanceOf(TpmException.class)
        .hasMessage("TPM2_Sign(0x81000001): TPM_RC_AUTH_FAIL (the authorization HMAC check failed: wrong password?),"
            + " session 1: 0x98e")
        .satisfies(e -> assertThat(((TpmException) e).baseCode()).isEqualTo(0x8E));
    assertThat(ResponseCodes.describe(0x18B)).startsWith("TPM_RC_HANDLE").contains("handle 1");
    assertThat(ResponseCodes.describe(0x2C4)).startsWith("TPM_RC_VALUE").contains("parameter 2");
    assertThat(ResponseCodes.describe(0x100)).startsWith("TPM_RC_INITIALIZE");
    assertThat(ResponseCodes.describe(0x902)).startsWith("TPM_RC_OBJECT_MEMORY");
    assertThat(ResponseCodes.describe(0x1D)).contains("TPM 1.2");
    assertThatThrownBy(() -> Response.parse(c, HEX.parseHex("80010000000b00000000"), 0))
        .hasMessageContaining("size field 11 but 10 bytes");
    // a session response: handle, parameterSize, parameters, then the (ignored) auth area
    Response r = Response.parse(c, HEX.parseHex("80020000001b00000000" + "80000002" + "00000004" + "0002abcd"
        + "0000" + "01" + "0000"), 1);
    assertThat(r.handle()).isEqualTo(0x80000002);
    assertThat(r.params().tpm2b()).isEqualTo(HEX.parseHex("abcd"));
    assertThatThrownBy(() -> r.params().u8()).hasMessageContaining("truncated");
  }

  @Test
  void ecdsaSignaturesBecomeDerWithSignBytesWhereNeeded() throws Exception {
    BigInteger r = new BigInteger("ff" + "00".repeat(31), 16); // high bit set: needs a 0x00 prefix
    BigInteger s = BigInteger.valueOf(1);
    byte[] der = new TpmSignature(Tpm2.ALG_ECDSA, Tpm2.ALG_SHA256, null, r, s).toDer();
    ASN1Sequence seq = ASN1Sequence.getInstance(der);
    assertThat(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue()).isEqualTo(r);
    assertThat(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()).isEqualTo(s);
    BigInteger big = BigInteger.ONE.shiftLeft(520).subtract(BigInteger.ONE); // P-521 sized: long form length
    ASN1Sequence seq2 = ASN1Sequence.getInstance(new TpmSignature(Tpm2.ALG_ECDSA, Tpm2.ALG_SHA512, null, big, big).toDer());
    assertThat(ASN1Integer.getInstance(seq2.getObjectAt(1)).getValue()).isEqualTo(big);
  }

  @Test
  void keyBlobFilesWithOrWithoutSizePrefix() throws Exception {
    KeyBlobs blobs = new KeyBlobs(HEX.parseHex("00010203040506"), HEX.parseHex("0020aabbccdd"));
    blobs.write(dir.resolve("k.pub"), dir.resolve("k.priv"));
    assertThat(Files.readAllBytes(dir.resolve("k.pub"))).isEqualTo(HEX.parseHex("000700010203040506"));
    KeyBlobs back = KeyBlobs.read(dir.resolve("k.pub"), dir.resolve("k.priv"));
    assertThat(back.publicArea()).isEqualTo(blobs.publicArea());
    assertThat(back.privateBlob()).isEqualTo(blobs.privateBlob());
    Files.write(dir.resolve("bare.pub"), blobs.publicArea());
    Files.write(dir.resolve("bare.priv"), blobs.privateBlob());
    assertThat(KeyBlobs.read(dir.resolve("bare.pub"), dir.resolve("bare.priv")).publicArea()).isEqualTo(blobs.publicArea());
    Files.write(dir.resolve("tiny"), new byte[] {1});
    assertThatThrownBy(() -> KeyBlobs.read(dir.resolve("tiny"), dir.resolve("k.priv"))).hasMessageContaining("too short");
    assertThatThrownBy(() -> KeyBlobs.read(dir.resolve("k.pub"), dir.resolve("none.priv")))
        .hasMessage("cannot read the private area " + dir.resolve("none.priv") + ": no such file");
  }

  @Test
  void templatesAreTheTcgDefaults() {
    // EK Credential Profile template L-1 (RSA 2048), as tpm2_createek builds it
    assertThat(HEX.formatHex(Templates.rsaEk())).startsWith("0001000b000300b20020"
        + "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa"
        + "00060080004300100800000000000100");
    assertThat(Templates.rsaEk()).hasSize(2 + 2 + 4 + 34 + 6 + 2 + 2 + 4 + 2 + 256);
    assertThat(HEX.formatHex(Templates.eccEk())).startsWith("0023000b000300b20020").contains(
        "0006008000430010000300100020" + "00".repeat(32) + "0020");
  }

  @Test
  void transportNames() {
    assertThatThrownBy(() -> TpmTransports.open("")).hasMessageContaining("no TPM device given");
    assertThatThrownBy(() -> TpmTransports.open("no-such-tpm")).hasMessageContaining("no such TPM device");
    // host:port with nothing listening: a TCP connection attempt, named in the message
    assertThatThrownBy(() -> TpmTransports.open("tcp://127.0.0.1:1")).hasMessageContaining("127.0.0.1:1");
    assertThatThrownBy(() -> TpmTransports.open("[::1]:1")).hasMessageContaining("::1:1");
  }
}
