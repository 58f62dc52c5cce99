package org.est4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.est4j.protocol.cms.KeyIdentifiers;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;
import org.est4j.server.ServerKeyEncryption;

/**
 * The {@code server_keygen} section (top level or per label): material for encrypted
 * server-generated keys (RFC 7030 §4.4.1).
 *
 * <pre>
 * server_keygen:
 *   require_encryption: false            # true: refuse /serverkeygen without an encryption attribute
 *   shared_keys:                         # DecryptKeyIdentifier -> AES key (KEKRecipientInfo)
 *     - id: device-group-1               # UTF-8 text, or hex:0a1b... for a binary identifier
 *       key_file: keys/group-1.key       # 32/48/64 hex digits or 16/24/32 raw bytes
 *     - id: factory
 *       key_env: EST_FACTORY_KEY         # hex digits
 *   recipient_certificates: [escrow.pem] # AsymmetricDecryptKeyIdentifier may name these (by SKI)
 * </pre>
 *
 * Key material is read when the server starts, never logged, and only its length is checked here.
 */
record ServerKeyGenConfig(String key, boolean required, List<SharedKeyRef> sharedKeys, List<Path> certificates) {
  private static final Set<String> KEYS = Set.of("require_encryption", "shared_keys", "recipient_certificates");
  private static final Set<String> SHARED = Set.of("id", "key_file", "key_env");

  /** Where one shared key comes from. */
  record SharedKeyRef(String key, byte[] id, Optional<Path> file, Optional<String> env) {}

  static Optional<ServerKeyGenConfig> read(ConfigNode parent, String name) throws ConfigException {
    Optional<ConfigNode> node = parent.child(name);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    ConfigNode n = node.get();
    n.allowOnly(KEYS);
    List<SharedKeyRef> shared = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<Object> items = n.list("shared_keys");
    for (int i = 0; i < items.size(); i++) {
      ConfigNode k = n.asNode(n.key("shared_keys") + "[" + i + "]", items.get(i));
      k.allowOnly(SHARED);
      String idText = k.string("id").orElseThrow(() -> new ConfigException(k.key("id"), "is required"));
      byte[] id;
      try {
        id = KeyIdentifiers.parseId(idText);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(k.key("id"), e.getMessage());
      }
      if (!ids.add(HexFormat.of().formatHex(id))) {
        throw new ConfigException(k.key("id"), "'" + idText + "' appears twice");
      }
      Optional<Path> file = k.path("key_file");
      Optional<String> env = k.string("key_env").filter(s -> !s.isBlank());
      if (file.isPresent() == env.isPresent()) {
        throw new ConfigException(k.key("key_file"), "give exactly one of key_file or key_env (keys are never written"
            + " into the configuration itself)");
      }
      shared.add(new SharedKeyRef(k.key(file.isPresent() ? "key_file" : "key_env"), id, file, env));
    }
    return Optional.of(new ServerKeyGenConfig(
        n.key(""), n.bool("require_encryption").orElse(false), shared, n.paths("recipient_certificates")));
  }

  /** Reads the keys and certificates. */
  ServerKeyEncryption load() throws ConfigException {
    ServerKeyEncryption.Builder b = ServerKeyEncryption.builder().required(required);
    for (SharedKeyRef ref : sharedKeys) {
      byte[] raw = ref.file().isPresent() ? readFile(ref) : readEnv(ref);
      byte[] aes = null;
      try {
        aes = KeyIdentifiers.parseAesKey(raw);
        b.sharedKey(ref.id(), aes);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ref.key(), e.getMessage());
      } finally {
        Arrays.fill(raw, (byte) 0);
        if (aes != null) {
          Arrays.fill(aes, (byte) 0);
        }
      }
    }
    for (Path p : certificates) {
      try {
        List<X509Certificate> certs = PemReader.readCertificates(p);
        if (certs.isEmpty()) {
          throw new ConfigException(key + "recipient_certificates", "no certificate in " + p);
        }
        for (X509Certificate c : certs) {
          b.recipientCertificate(c);
        }
      } catch (PemException e) {
        throw new ConfigException(key + "recipient_certificates", e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static byte[] readFile(SharedKeyRef ref) throws ConfigException {
    Path p = ref.file().get();
    try {
      if (Files.size(p) > 4096) {
        throw new ConfigException(ref.key(), p + " is too large to be a shared key");
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new ConfigException(ref.key(), "cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readEnv(SharedKeyRef ref) throws ConfigException {
    String v = System.getenv(ref.env().get());
    if (v == null || v.isBlank()) {
      throw new ConfigException(ref.key(), "the environment variable " + ref.env().get() + " is not set");
    }
    return v.getBytes(StandardCharsets.US_ASCII);
  }
}
