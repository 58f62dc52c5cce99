package org.est4j.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.est4j.ca.CaDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code estserver ca init --name NAME}: a root and an issuing CA in the data directory, keys
 * encrypted with the passphrase from a file or an environment variable (from the command line,
 * else from {@code cas.NAME} in the configuration file).
 */
@Command(name = "init", description = "create an embedded CA (root + issuing CA) in the data directory")
final class CaInitCommand implements Callable<Integer> {
  @Option(names = {"-name", "--name"}, required = true, paramLabel = "NAME", description = "the CA's name (cas.NAME)")
  String name;

  @Option(names = {"-config", "--config"}, paramLabel = "FILE",
      description = "configuration file: its data_dir, and cas.NAME's passphrase source")
  Path config;

  @Option(names = {"-data-dir", "--data-dir"}, paramLabel = "DIR",
      description = "data directory (default: data_dir of -config, else ./est4j-data)")
  Path dataDir;

  @Option(names = {"-key", "--key"}, paramLabel = "TYPE", defaultValue = "ec:P-256",
      description = "key type: ec:P-256 (default), ec:P-384, ec:P-521, rsa:2048, rsa:3072, rsa:4096, ed25519")
  String key;

  @Option(names = {"-subject", "--subject"}, paramLabel = "DN",
      description = "root CA subject, RFC 4514 (\"CN=Example Root CA,O=Example\"); default CN=NAME Root CA")
  String subject;

  @Option(names = {"-issuing-subject", "--issuing-subject"}, paramLabel = "DN",
      description = "issuing CA subject; default: the root's with ' Issuing CA' in place of ' Root CA' in the CN")
  String issuingSubject;

  @Option(names = {"-validity", "--validity"}, paramLabel = "DURATION", defaultValue = "10y",
      description = "validity of both CA certificates (10y, 365d...); default 10y")
  String validity;

  @Option(names = {"-passphrase-file", "--passphrase-file"}, paramLabel = "FILE",
      description = "file whose first line encrypts the keys")
  Path passphraseFile;

  @Option(names = {"-passphrase-env", "--passphrase-env"}, paramLabel = "VAR",
      description = "environment variable holding the passphrase")
  String passphraseEnv;

  @Option(names = {"-if-missing", "--if-missing"},
      description = "exit 0 without change when the CA exists (for provisioning scripts)")
  boolean ifMissing;

  @Override
  public Integer call() {
    try {
      Path dir = dataDir;
      Optional<PkiConfig.EmbeddedCaConfig> configured = Optional.empty();
      if (config != null) {
        PkiConfig pki = ServerConfigReader.read(config).pki();
        if (dir == null) {
          dir = pki.dataDir();
        }
        if (pki.cas().get(name) instanceof PkiConfig.EmbeddedCaConfig e) {
          configured = Optional.of(e);
        }
      }
      if (dir == null) {
        dir = Path.of(PkiConfigReader.DEFAULT_DATA_DIR);
      }
      try {
        CaDirectory.directory(dir, name);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--name", e.getMessage());
      }
      if (CaDirectory.exists(dir, name)) {
        if (ifMissing) {
          System.out.println("CA '" + name + "' already exists in " + CaDirectory.directory(dir, name) + "; unchanged");
          return EstServerCommand.EXIT_OK;
        }
        System.err.println("estserver: CA '" + name + "' already exists in " + CaDirectory.directory(dir, name)
            + "; nothing was changed (remove the directory to create it again, or pass --if-missing)");
        return EstServerCommand.EXIT_FAILURE;
      }
      char[] passphrase = passphrase(configured);
      CaDirectory.InitOptions options = options();
      List<X509Certificate> chain;
      try {
        chain = CaDirectory.init(dir, name, options, passphrase);
      } finally {
        java.util.Arrays.fill(passphrase, '\0');
      }
      X509Certificate root = chain.get(chain.size() - 1);
      System.out.println("created CA '" + name + "' in " + CaDirectory.directory(dir, name));
      System.out.println("  issuing CA: " + chain.get(0).getSubjectX500Principal().getName());
      System.out.println("  root CA:    " + root.getSubjectX500Principal().getName() + " (SHA-256 "
          + EstServerCommand.fingerprint(root) + ")");
      System.out.println("use it with:  cas: {" + name + ": {kind: embedded, "
          + (passphraseEnv != null ? "passphrase_env: " + passphraseEnv
              : "passphrase_file: " + (passphraseFile != null ? passphraseFile : "FILE")) + "}}");
      return EstServerCommand.EXIT_OK;
    } catch (ConfigException e) {
      System.err.println("estserver: " + e.getMessage());
      return EstServerCommand.EXIT_CONFIG;
    } catch (FileAlreadyExistsException e) {
      System.err.println("estserver: " + e.getReason());
      return EstServerCommand.EXIT_FAILURE;
    } catch (java.io.IOException e) {
      System.err.println("estserver: cannot create CA '" + name + "': " + e.getMessage());
      return EstServerCommand.EXIT_FAILURE;
    }
  }

  private char[] passphrase(Optional<PkiConfig.EmbeddedCaConfig> configured) throws ConfigException {
    if (passphraseFile != null && passphraseEnv != null) {
      throw new ConfigException("--passphrase-file", "give either --passphrase-file or --passphrase-env, not both");
    }
    if (passphraseFile != null || passphraseEnv != null) {
      return Authorities.passphrase("--passphrase", Optional.ofNullable(passphraseFile), Optional.ofNullable(passphraseEnv));
    }
    if (configured.isPresent()) {
      PkiConfig.EmbeddedCaConfig c = configured.get();
      return Authorities.passphrase(c.key() + ".passphrase", c.passphraseFile(), c.passphraseEnv());
    }
    throw new ConfigException("--passphrase-file", "the CA keys are encrypted: give --passphrase-file or"
        + " --passphrase-env (or -config with cas." + name + ".passphrase_file/_env)");
  }

  private CaDirectory.InitOptions options() throws ConfigException {
    CaDirectory.InitOptions d = CaDirectory.defaults(name);
    try {
      org.est4j.ca.KeyRule.parse(key); // names the accepted forms
      if (key.endsWith("+") || key.equalsIgnoreCase("rsa")) {
        throw new IllegalArgumentException("give one key type and size, such as rsa:3072");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--key", e.getMessage());
    }
    X500Name root = subject == null ? d.rootSubject() : dn("--subject", subject);
    X500Name issuing = issuingSubject != null ? dn("--issuing-subject", issuingSubject)
        : subject == null ? d.issuingSubject() : issuingFrom(root);
    Duration v = ConfigDurations.parse("--validity", validity);
    if (root.equals(issuing)) {
      throw new ConfigException("--issuing-subject", "must differ from the root's subject");
    }
    return new CaDirectory.InitOptions(key, root, issuing, v);
  }

  private static X500Name dn(String flag, String text) throws ConfigException {
    try {
      return X500Name.getInstance(new X500Principal(text).getEncoded());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(flag, "'" + text + "' is not a distinguished name like \"CN=Example Root CA,O=Example\"");
    }
  }

  /** The root's name with its CN turned from "... Root CA" (or "X") into "... Issuing CA" ("X Issuing CA"). */
  private X500Name issuingFrom(X500Name root) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
    boolean hadCn = false;
    for (RDN rdn : root.getRDNs()) {
      if (rdn.getFirst().getType().equals(BCStyle.CN)) {
        String cn = IETFUtils.valueToString(rdn.getFirst().getValue());
        b.addRDN(BCStyle.CN, cn.endsWith(" Root CA") ? cn.substring(0, cn.length() - 8) + " Issuing CA" : cn + " Issuing CA");
        hadCn = true;
      } else {
        b.addMultiValuedRDN(rdn.getTypesAndValues());
      }
    }
    if (!hadCn) {
      b.addRDN(BCStyle.CN, name + " Issuing CA");
    }
    return b.build();
  }
}
