package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;

/**
 * The effective settings of one run: flags over the configuration file, paths resolved (flags
 * against the working directory, the file's against its directory). Files are read on demand so a
 * command reads only what it uses.
 */
final class Settings {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  final Io io;
  final Optional<ConfigFile> config;
  final String separator;
  private final KeyOptions keyOptions;
  private final Optional<Path> keyPath;
  private final Optional<String> keyUri;
  private final String keyFlag;
  private PrivateKey key;

  Settings(Io io, KeyOptions k) throws CliException {
    this.io = io;
    this.keyOptions = k;
    this.config = k.config == null ? Optional.empty() : Optional.of(ConfigFile.read(ConfigFile.locate(k.config, io), io));
    if (k.separator == null || k.separator.isEmpty()) {
      throw CliException.usage("-separator must not be empty");
    }
    this.separator = k.separator;
    if (k.key != null && k.key.regionMatches(true, 0, "pkcs11:", 0, 7)) {
      keyUri = Optional.of(k.key); // an RFC 7512 URI: a key on a PKCS#11 token
      keyPath = Optional.empty();
      keyFlag = "-key";
    } else if (k.key != null) {
      keyUri = Optional.empty();
      keyPath = Optional.of(io.resolve(k.key));
      keyFlag = "-key";
    } else {
      keyUri = Optional.empty();
      keyPath = config.flatMap(ConfigFile::privateKey);
      keyFlag = "private_key in -config " + config.map(ConfigFile::file).map(Path::toString).orElse("");
    }
  }

  /** The private key file (-key, or private_key of the configuration file), if any. */
  Optional<Path> keyPath() {
    return keyPath;
  }

  /** The private key, reading (and decrypting) it on first use. */
  PrivateKey privateKey() throws CliException {
    if (key != null) {
      return key;
    }
    if (keyUri.isPresent()) {
      key = HsmKeys.openUri(keyUri.get(), "-key pkcs11: URI", io);
      return key;
    }
    if (keyPath.isEmpty()) {
      Optional<HardwareKeyConfig> hw = config.flatMap(ConfigFile::hardwareKey);
      if (hw.isPresent()) {
        key = HardwareKeys.open(hw.get(), io);
        return key;
      }
      throw CliException.usage("no private key provided: use -key FILE (or private_key in the -config file)");
    }
    Path file = keyPath.get();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw CliException.failure("cannot read " + keyFlag + " " + file + ": " + describe(e), e);
    }
    Optional<char[]> passphrase = Optional.empty();
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")) {
      passphrase = Optional.of(passphrase(file));
    }
    try {
      key = PemReader.readPrivateKey(new StringReader(text), file.toString(), passphrase);
      return key;
    } catch (PemException e) {
      throw CliException.failure("cannot read " + keyFlag + " " + file + ": " + e.getMessage(), e);
    } finally {
      passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
    }
  }

  private char[] passphrase(Path keyFile) throws CliException {
    if (keyOptions.passphraseFile != null) {
      Path f = io.resolve(keyOptions.passphraseFile);
      try {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return (s.endsWith("\r") ? s.substring(0, s.length() - 1) : s).toCharArray();
      } catch (IOException e) {
        throw CliException.failure("cannot read -passphrase-file " + f + ": " + describe(e), e);
      }
    }
    if (keyOptions.passphraseEnv != null) {
      return io.env(keyOptions.passphraseEnv)
          .orElseThrow(() -> CliException.usage("-passphrase-env " + keyOptions.passphraseEnv
              + ": the environment variable is not set"))
          .toCharArray();
    }
    return io.prompter().readSecret("Enter passphrase for private key " + keyFile.getFileName() + ": ")
        .orElseThrow(() -> CliException.usage(keyFile + " is encrypted and there is no terminal to ask for"
            + " its passphrase: use -passphrase-file FILE or -passphrase-env VAR"));
  }

  /** Certificates from a PEM file named by a flag or configuration key. */
  static List<X509Certificate> certificates(Path file, String what) throws CliException {
    try {
      List<X509Certificate> certs = PemReader.readCertificates(file);
      if (certs.isEmpty()) {
        throw CliException.failure(what + " " + file + ": no PEM CERTIFICATE found", null);
      }
      return certs;
    } catch (PemException e) {
      throw CliException.failure("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Splits a list flag by the separator, trimming and dropping empty entries. */
  List<String> split(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(java.util.regex.Pattern.quote(separator), -1))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code -headers} (replacing the file's) or the file's {@code additional_headers}. */
  Map<String, String> headers(String flag) {
    if (flag == null) {
      return config.map(ConfigFile::additionalHeaders).orElse(Map.of());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String h : split(flag)) {
      int colon = h.indexOf(':');
      out.put(colon < 0 ? h.trim() : h.substring(0, colon).trim(), colon < 0 ? "" : h.substring(colon + 1).trim());
    }
    return out;
  }

  static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
