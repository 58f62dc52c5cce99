package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server prefers Conscrypt ({@link Jca#prefer}); verification must still work for every key
 * type, whichever provider ends up making the key and the Signature, and the JVM's own provider
 * list must stay untouched.
 */
class CsrWithConscryptTest {
  private static Provider conscrypt;

  @TempDir Path dir;

  @BeforeAll
  static void preferConscrypt() {
    conscrypt = Conscrypt.newProvider();
    Jca.prefer(conscrypt);
  }

  @AfterAll
  static void forgetConscrypt() {
    Jca.prefer(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa:2048", "ec:P-256", "ec:P-384", "ec:P-521", "ed25519", "pss"})
  void verifiesWithConscryptFirst(String keyType) throws Exception {
    assertThat(Jca.preferred()).isSameAs(conscrypt);
    assertThat(Security.getProvider(conscrypt.getName())).isNull();
    String[] keyArgs;
    if (keyType.startsWith("ec:")) {
      keyArgs = new String[] {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + keyType.substring(3)};
    } else if (keyType.equals("pss")) {
      keyArgs = new String[] {"-newkey", "rsa:2048", "-sigopt", "rsa_padding_mode:pss"};
    } else {
      keyArgs = new String[] {"-newkey", keyType};
    }
    String[] common = {"req", "-new", "-nodes", "-keyout", "k.pem", "-subj", "/CN=conscrypt",
        "-outform", "DER", "-out", "r.der"};
    String[] args = new String[common.length + keyArgs.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(keyArgs, 0, args, common.length, keyArgs.length);
    OpenSsl.run(dir, args);
    byte[] der = Files.readAllBytes(dir.resolve("r.der"));

    Csr.decode(der).verify();

    der[der.length - 1] ^= 1;
    assertThatThrownBy(() -> Csr.decode(der).verify())
        .hasMessage("invalid PKCS10 certificate signing request signature");
  }
}
