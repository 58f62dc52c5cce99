package org.est4j.client.internal.pkcs11;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * The JCA provider that signs with {@link P11PrivateKey}s. It is appended to the JVM's provider
 * list (never inserted first): JSSE and {@code Signature.getInstance(alg)} then reach it through
 * delayed provider selection, after every other provider has refused the key (none can use a key
 * without an encoding). Its services accept only P11PrivateKey (SupportedKeyClasses), so it never
 * takes work from the other providers.
 */
public final class P11Provider extends Provider {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "Est4jPkcs11";

  private static final List<String> ECDSA = List.of("NONEwithECDSA", "SHA1withECDSA", "SHA224withECDSA",
      "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA");
  private static final List<String> RSA = List.of("SHA1withRSA", "SHA224withRSA", "SHA256withRSA",
      "SHA384withRSA", "SHA512withRSA", "RSASSA-PSS");

  private P11Provider() {
    super(NAME, "1.0", "est4j: signatures with keys on PKCS#11 tokens");
    Map<String, String> attrs = Map.of("SupportedKeyClasses", P11PrivateKey.class.getName());
    for (String alg : ECDSA) {
      putService(new SignatureService(this, alg, attrs));
    }
    for (String alg : RSA) {
      putService(new SignatureService(this, alg, attrs));
    }
  }

  /** Registers the provider once per JVM (appended, lowest priority) and returns it. */
  public static synchronized Provider install() {
    Provider p = Security.getProvider(NAME);
    if (p == null) {
      p = new P11Provider();
      Security.addProvider(p);
    }
    return p;
  }

  private static final class SignatureService extends Service {
    SignatureService(Provider p, String algorithm, Map<String, String> attrs) {
      super(p, "Signature", algorithm, P11Signature.class.getName(), List.of(), attrs);
    }

    @Override
    public Object newInstance(Object constructorParameter) {
      return new P11Signature(getAlgorithm());
    }
  }
}
