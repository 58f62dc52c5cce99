package org.est4j.tpm.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Object commands: ReadPublic, CreatePrimary, Create, Load, EvictControl (Part 3 §12, §24, §28). */
final class ObjectCommands {
  private ObjectCommands() {}

  static TpmObject readPublic(TpmDevice tpm, int handle) throws IOException {
    Command c = Command.of("TPM2_ReadPublic(" + Tpm2.hex(handle) + ")", Tpm2.CC_READ_PUBLIC).handle(handle);
    TpmReader p = tpm.execute(c, 0).params();
    byte[] pub = p.tpm2b();
    byte[] name = p.tpm2b();
    return new TpmObject(handle, pub, name);
  }

  static TpmObject createPrimary(TpmDevice tpm, int hierarchy, String hierarchyPassword, byte[] template,
      String keyPassword) throws IOException {
    Command c = Command.of("TPM2_CreatePrimary(" + Tpm2.hex(hierarchy) + ")", Tpm2.CC_CREATE_PRIMARY)
        .handle(hierarchy).auth(Authorization.password(hierarchyPassword));
    writeCreateParams(c.params(), template, keyPassword);
    Response r = tpm.execute(c, 1);
    int handle = r.handle();
    TpmReader p = r.params();
    byte[] pub = p.tpm2b();
    skipCreationOutputs(p);
    byte[] name = p.tpm2b();
    return new TpmObject(handle, pub, name);
  }

  static KeyBlobs create(TpmDevice tpm, int parent, String parentPassword, byte[] template, String keyPassword)
      throws IOException {
    Command c = Command.of("TPM2_Create(parent " + Tpm2.hex(parent) + ")", Tpm2.CC_CREATE)
        .handle(parent).auth(Authorization.password(parentPassword));
    writeCreateParams(c.params(), template, keyPassword);
    TpmReader p = tpm.execute(c, 0).params();
    byte[] priv = p.tpm2b();
    byte[] pub = p.tpm2b();
    return new KeyBlobs(pub, priv);
  }

  static int load(TpmDevice tpm, int parent, String parentPassword, KeyBlobs blobs) throws IOException {
    Command c = Command.of("TPM2_Load(parent " + Tpm2.hex(parent) + ")", Tpm2.CC_LOAD)
        .handle(parent).auth(Authorization.password(parentPassword));
    c.params().tpm2b(blobs.privateBlob()).tpm2b(blobs.publicArea());
    return tpm.execute(c, 1).handle();
  }

  static void evictControl(TpmDevice tpm, String ownerPassword, int object, int persistent) throws IOException {
    Command c = Command.of("TPM2_EvictControl(" + Tpm2.hex(object) + " -> " + Tpm2.hex(persistent) + ")",
        Tpm2.CC_EVICT_CONTROL).handle(Tpm2.RH_OWNER).auth(Authorization.password(ownerPassword)).handle(object);
    c.params().u32(persistent);
    tpm.execute(c, 0);
  }

  /** TPM2B_SENSITIVE_CREATE, TPM2B_PUBLIC, outsideInfo and an empty PCR selection. */
  private static void writeCreateParams(TpmWriter w, byte[] template, String keyPassword) {
    byte[] auth = keyPassword == null ? new byte[0] : keyPassword.getBytes(StandardCharsets.UTF_8);
    byte[] sensitive = new TpmWriter().tpm2b(auth).tpm2b(new byte[0]).toByteArray();
    java.util.Arrays.fill(auth, (byte) 0);
    w.tpm2b(sensitive).tpm2b(template).tpm2b(new byte[0]).u32(0);
    java.util.Arrays.fill(sensitive, (byte) 0);
  }

  /** TPM2B_CREATION_DATA, creationHash and the TPMT_TK_CREATION ticket: not used here. */
  private static void skipCreationOutputs(TpmReader p) throws TpmException {
    p.tpm2b();
    p.tpm2b();
    p.u16();
    p.u32();
    p.tpm2b();
  }
}
