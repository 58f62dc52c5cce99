package org.est4j.cli.estclient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.est4j.client.KeyEncryption;
import org.est4j.protocol.cms.KeyIdentifiers;
import picocli.CommandLine.Option;

/**
 * serverkeygen's flags for an encrypted key (RFC 7030 §4.4.1), and the Go seed's password form.
 * At most one of the three ways may be used.
 */
final class KeyEncryptionOptions {
  @Option(names = {"-decryptkeyid", "--decryptkeyid"}, paramLabel = "<id>",
      description = "ask for the key encrypted with the shared key the server knows by this identifier"
          + " (DecryptKeyIdentifier; text, or hex:0a1b.. for binary); needs -decryptkey")
  String decryptKeyId;

  @Option(names = {"-decryptkey", "--decryptkey"}, paramLabel = "<path>",
      description = "file with the shared AES key for -decryptkeyid: 32, 48 or 64 hex digits, or 16, 24 or 32 raw bytes")
  String decryptKey;

  @Option(names = {"-encryptto", "--encryptto"}, paramLabel = "<path>",
      description = "ask for the key encrypted to this certificate's RSA or EC key (AsymmetricDecryptKeyIdentifier,"
          + " its SubjectKeyIdentifier); the server must know it (the TLS client certificate, or configured);"
          + " the private key is -encrypttokey, else -key")
  String encryptTo;

  @Option(names = {"-encrypttokey", "--encrypttokey"}, paramLabel = "<path>",
      description = "private key of -encryptto (PEM), when it is not -key")
  String encryptToKey;

  @Option(names = {"-pskpassword-file", "--pskpassword-file"}, paramLabel = "<path>",
      description = "decrypt the Go seed's pre-shared-password form (its test server's pkcs7 label) with the password"
          + " in this file (first line)")
  String pskPasswordFile;

  @Option(names = {"-pskpassword-env", "--pskpassword-env"}, paramLabel = "<name>",
      description = "as -pskpassword-file, from this environment variable")
  String pskPasswordEnv;

  /** The encryption asked for, or empty when none of these flags is given. */
  Optional<KeyEncryption> encryption(Io io, Settings settings, KeyOptions keys) throws CliException {
    int ways = (decryptKeyId != null || decryptKey != null ? 1 : 0) + (encryptTo != null || encryptToKey != null ? 1 : 0)
        + (pskPasswordFile != null || pskPasswordEnv != null ? 1 : 0);
    if (ways == 0) {
      return Optional.empty();
    }
    if (ways > 1) {
      throw CliException.usage("give one of -decryptkeyid/-decryptkey, -encryptto or -pskpassword-file/-env");
    }
    if (decryptKeyId != null || decryptKey != null) {
      return Optional.of(shared(io));
    }
    if (encryptTo != null || encryptToKey != null) {
      return Optional.of(asymmetric(io, settings, keys));
    }
    return Optional.of(seed(io));
  }

  private KeyEncryption shared(Io io) throws CliException {
    if (decryptKeyId == null || decryptKey == null) {
      throw CliException.usage(decryptKeyId == null ? "-decryptkey needs -decryptkeyid (the key's identifier)"
          : "-decryptkeyid needs -decryptkey (the file with the shared key)");
    }
    byte[] id;
    try {
      id = KeyIdentifiers.parseId(decryptKeyId);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("-decryptkeyid: " + e.getMessage());
    }
    Path file = io.resolve(decryptKey);
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliException.failure("cannot read -decryptkey " + file + ": " + Settings.describe(e), e);
    }
    byte[] key = null;
    try {
      key = KeyIdentifiers.parseAesKey(raw);
      return KeyEncryption.sharedKey(id, key);
    } catch (IllegalArgumentException e) {
      throw CliException.failure("-decryptkey " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  private KeyEncryption asymmetric(Io io, Settings settings, KeyOptions keys) throws CliException {
    if (encryptTo == null) {
      throw CliException.usage("-encrypttokey needs -encryptto (the certificate to encrypt to)");
    }
    List<X509Certificate> certs = Settings.certificates(io.resolve(encryptTo), "-encryptto");
    PrivateKey key;
    if (encryptToKey != null) {
      KeyOptions own = new KeyOptions();
      own.key = encryptToKey;
      own.passphraseFile = keys.passphraseFile;
      own.passphraseEnv = keys.passphraseEnv;
      own.separator = ",";
      key = new Settings(io, own).privateKey();
    } else if (settings.keyPath().isPresent()) {
      key = settings.privateKey();
    } else {
      throw CliException.usage("-encryptto needs its private key to decrypt the answer: -encrypttokey FILE or -key FILE");
    }
    try {
      return KeyEncryption.toKeyPair(key, certs.get(0));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("-encryptto: " + e.getMessage());
    }
  }

  private KeyEncryption seed(Io io) throws CliException {
    char[] password;
    if (pskPasswordFile != null) {
      Path f = io.resolve(pskPasswordFile);
      try {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        password = (s.endsWith("\r") ? s.substring(0, s.length() - 1) : s).toCharArray();
      } catch (IOException e) {
        throw CliException.failure("cannot read -pskpassword-file " + f + ": " + Settings.describe(e), e);
      }
    } else {
      password = io.env(pskPasswordEnv).orElseThrow(() -> CliException.usage("-pskpassword-env " + pskPasswordEnv
          + ": the environment variable is not set")).toCharArray();
    }
    try {
      return KeyEncryption.seedPassword(password);
    } catch (IllegalArgumentException e) {
      throw CliException.usage((pskPasswordFile != null ? "-pskpassword-file" : "-pskpassword-env") + ": "
          + e.getMessage());
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
