package org.est4j.tpm;

/** Marshals TPMT_PUBLIC for RSA and ECC objects (Part 2 §12.2.3, §12.2.4). */
final class TpmPublicCodec {
  private TpmPublicCodec() {}

  static TpmPublic parse(byte[] bytes) throws TpmFormatException {
    TpmReader r = new TpmReader(bytes, "TPMT_PUBLIC");
    TpmPublicBuilder b = TpmPublic.builder();
    int type = r.u16();
    if (type != TpmAlg.RSA && type != TpmAlg.ECC) {
      throw new TpmFormatException("TPMT_PUBLIC: object type " + TpmAlg.hex(type)
          + " is not a key (only RSA 0x0001 and ECC 0x0023 are supported)");
    }
    b.type = type;
    b.nameAlg = TpmHash.of(r.u16());
    b.attributes = r.u32();
    b.authPolicy = r.tpm2b();
    b.symmetric = SymDef.read(r);
    if (type == TpmAlg.RSA) {
      b.scheme = Scheme.readRsa(r);
      b.rsaKeyBits = r.u16();
      b.rsaExponent = r.u32();
      b.modulus = r.tpm2b();
    } else {
      b.scheme = Scheme.readEcc(r);
      b.curve = r.u16();
      b.kdf = Scheme.readKdf(r);
      b.x = r.tpm2b();
      b.y = r.tpm2b();
    }
    r.expectEnd();
    return new TpmPublic(b, bytes);
  }

  static byte[] encode(TpmPublicBuilder b) {
    TpmWriter w = new TpmWriter();
    w.u16(b.type).u16(b.nameAlg.algId()).u32(b.attributes).tpm2b(b.authPolicy);
    b.symmetric.write(w);
    b.scheme.write(w);
    if (b.type == TpmAlg.RSA) {
      w.u16(b.rsaKeyBits).u32(b.rsaExponent).tpm2b(b.modulus);
    } else {
      w.u16(b.curve);
      b.kdf.write(w);
      w.tpm2b(b.x).tpm2b(b.y);
    }
    return w.toByteArray();
  }
}
