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
import org.est4j.client.Pkcs11Key;
import org.est4j.client.Pkcs11KeyException;
import org.est4j.client.Pkcs11KeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code estserver ca init --name NAME}: a root and an issuing CA in the data directory, keys
 * encrypted with the passphrase from a file or an environment variable (from the command line,
 * else from {@code cas.NAME} in the configuration file), or generated on a PKCS#11 token
 * ({@code --pkcs11 URI}, else {@code cas.NAME.pkcs11}): then both keys stay on the token, labelled
 * {@code est4j-ca-NAME-root} and {@code est4j-ca-NAME-issuing}, and only the certificates go to
 * the data directory.
 */
@Command(name = "init", description = "create an embedded CA (root + issuing CA) in the data directory")
final class CaInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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

  @Option(names = {"-pkcs11", "--pkcs11"}, paramLabel = "pkcs11:URI",
      description = "generate both keys on this PKCS#11 token instead of files: an RFC 7512 URI naming the token"
          + " (no id/object), e.g. 'pkcs11:token=ca?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:pin.txt'")
  String pkcs11;

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
      java.io.PrintWriter out = spec.commandLine().getOut();
      if (CaDirectory.exists(dir, name)) {
        if (ifMissing) {
          out.println("CA '" + name + "' already exists in " + CaDirectory.directory(dir, name) + "; unchanged");
          out.flush();
          return EstServerCommand.EXIT_OK;
        }
        return fail(EstServerCommand.EXIT_FAILURE, "CA '" + name + "' already exists in "
            + CaDirectory.directory(dir, name)
            + "; nothing was changed (remove the directory to create it again, or pass --if-missing)");
      }
      Optional<Pkcs11KeySpec> token = token(configured);
      CaDirectory.InitOptions options = options();
      List<X509Certificate> chain;
      if (token.isPresent()) {
        chain = onToken(dir, options, token.get());
      } else {
        char[] passphrase = passphrase(configured);
        try {
          chain = CaDirectory.init(dir, name, options, passphrase);
        } finally {
          java.util.Arrays.fill(passphrase, '\0');
        }
      }
      X509Certificate root = chain.get(chain.size() - 1);
      out.println("created CA '" + name + "' in " + CaDirectory.directory(dir, name));
      out.println("  issuing CA: " + chain.get(0).getSubjectX500Principal().getName());
      out.println("  root CA:    " + root.getSubjectX500Principal().getName() + " (SHA-256 "
          + EstServerCommand.fingerprint(root) + ")");
      if (token.isPresent()) {
        out.println("  keys on " + token.get().describe().replaceAll(" ?(key|object)[^,]*$", "") + ", labelled "
            + Pkcs11Config.caKeyLabel(name, "root") + " and " + Pkcs11Config.caKeyLabel(name, "issuing"));
        out.println("use it with:  cas: {" + name + ": {kind: embedded, pkcs11: 'pkcs11:token="
            + token.get().tokenLabel().orElse("LABEL") + "?module-path=" + token.get().module()
            + "&pin-source=file:PIN-FILE'}}");
      } else {
        out.println("use it with:  cas: {" + name + ": {kind: embedded, "
            + (passphraseEnv != null ? "passphrase_env: " + passphraseEnv
                : "passphrase_file: " + (passphraseFile != null ? passphraseFile : "FILE")) + "}}");
      }
      out.flush();
      return EstServerCommand.EXIT_OK;
    } catch (ConfigException e) {
      return fail(EstServerCommand.EXIT_CONFIG, e.getMessage());
    } catch (FileAlreadyExistsException e) {
      return fail(EstServerCommand.EXIT_FAILURE, e.getReason());
    } catch (Pkcs11KeyException e) {
      return fail(EstServerCommand.EXIT_FAILURE, "cannot create CA '" + name + "' on the token: " + e.getMessage());
    } catch (java.io.IOException e) {
      return fail(EstServerCommand.EXIT_FAILURE, "cannot create CA '" + name + "': " + e.getMessage());
    }
  }

  private int fail(int exit, String message) {
    spec.commandLine().getErr().println("estserver: " + message);
    spec.commandLine().getErr().flush();
    return exit;
  }

  /** The issuing key's spec on the token of --pkcs11, else of cas.NAME.pkcs11; empty for key files. */
  private Optional<Pkcs11KeySpec> token(Optional<PkiConfig.EmbeddedCaConfig> configured) throws ConfigException {
    if (pkcs11 != null) {
      if (passphraseFile != null || passphraseEnv != null) {
        throw new ConfigException("--pkcs11", "keys on a token need no passphrase: drop --passphrase-file/--passphrase-env");
      }
      Pkcs11KeySpec s = Pkcs11Config.tokenUri("--pkcs11", pkcs11, Pkcs11Config.caKeyLabel(name, "issuing"));
      if (!s.hasPin()) {
        java.io.Console console = System.console();
        char[] pin = console == null ? null : console.readPassword("Enter PIN for %s: ", s.describe());
        if (pin == null) {
          throw new ConfigException("--pkcs11", "no PIN in the URI and no terminal to ask for it:"
              + " add pin-source=file:/path to the URI");
        }
        s = s.withPin(pin);
        java.util.Arrays.fill(pin, '\0');
      }
      return Optional.of(s);
    }
    if (passphraseFile == null && passphraseEnv == null && configured.isPresent()) {
      return configured.get().pkcs11();
    }
    return Optional.empty();
  }

  /**
   * Generates root and issuing key on the token and writes the certificates. Both labels are
   * checked first, so a clash changes nothing on the token.
   */
  private List<X509Certificate> onToken(Path dataDir, CaDirectory.InitOptions options, Pkcs11KeySpec issuingSpec)
      throws Pkcs11KeyException, java.io.IOException, ConfigException {
    Pkcs11KeySpec rootSpec = issuingSpec.toBuilder().keyLabel(Pkcs11Config.caKeyLabel(name, "root")).build();
    for (Pkcs11KeySpec s : List.of(rootSpec, issuingSpec)) {
      boolean exists;
      try (Pkcs11Key existing = Pkcs11Key.open(s)) {
        exists = true;
      } catch (Pkcs11KeyException e) {
        if (!e.getMessage().contains("no such private key")) {
          throw e; // no token, wrong PIN...
        }
        exists = false;
      }
      if (exists) {
        throw new Pkcs11KeyException(s.describe() + " already exists on the token; nothing was generated"
            + " (delete it, e.g. with pkcs11-tool --delete-object, or choose another --name)");
      }
    }
    try (Pkcs11Key rootKey = Pkcs11Key.generate(rootSpec, key);
        Pkcs11Key issuingKey = Pkcs11Key.generate(issuingSpec, key)) {
      return CaDirectory.initOnToken(dataDir, name, options,
          rootKey.keyPair(), issuingKey.keyPair(), Pkcs11Config.caKeyLabel(name, "root"),
          Pkcs11Config.caKeyLabel(name, "issuing"));
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
