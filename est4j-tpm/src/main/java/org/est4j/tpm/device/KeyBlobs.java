package org.est4j.tpm.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key created by TPM2_Create, wrapped by its parent: the public area (TPMT_PUBLIC) and the
 * private blob (the contents of TPM2B_PRIVATE), both without TPM2B size. Files written by {@link
 * #write} carry the size prefixes, as tpm2-tools' {@code tpm2_create -u key.pub -r key.priv}
 * writes them; {@link #read} accepts both forms (go-tpm users write the bare structures).
 */
public record KeyBlobs(byte[] publicArea, byte[] privateBlob) {
  public KeyBlobs {
    publicArea = publicArea.clone();
    privateBlob = privateBlob.clone();
  }

  @Override
  public byte[] publicArea() {
    return publicArea.clone();
  }

  @Override
  public byte[] privateBlob() {
    return privateBlob.clone();
  }

  public static KeyBlobs read(Path publicFile, Path privateFile) throws IOException {
    return new KeyBlobs(unwrap(readFile(publicFile, "public area"), publicFile),
        unwrap(readFile(privateFile, "private area"), privateFile));
  }

  private static byte[] readFile(Path file, String what) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("cannot read the " + what + " " + file + ": no such file", e);
    } catch (IOException e) {
      throw new IOException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes both files TPM2B-prefixed (tpm2-tools' format); the private blob is only readable by its owner. */
  public void write(Path publicFile, Path privateFile) throws IOException {
    Files.write(publicFile, new TpmWriter().tpm2b(publicArea).toByteArray());
    Files.deleteIfExists(privateFile);
    Files.createFile(privateFile, ownerOnly(privateFile));
    Files.write(privateFile, new TpmWriter().tpm2b(privateBlob).toByteArray());
  }

  private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(Path file) {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new java.nio.file.attribute.FileAttribute<?>[] {
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new java.nio.file.attribute.FileAttribute<?>[0];
  }

  /** Strips a TPM2B size prefix when the first two bytes are exactly the length of the rest. */
  static byte[] unwrap(byte[] file, Path name) throws IOException {
    if (file.length < 4) {
      throw new IOException(name + ": too short for a TPM key blob (" + file.length + " bytes)");
    }
    int size = ((file[0] & 0xFF) << 8) | (file[1] & 0xFF);
    if (size == file.length - 2) {
      return java.util.Arrays.copyOfRange(file, 2, file.length);
    }
    return file;
  }
}
