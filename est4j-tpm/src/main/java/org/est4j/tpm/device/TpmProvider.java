package org.est4j.tpm.device;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * JCA provider "est4j-TPM": signatures by {@link TpmPrivateKey}s, nothing else (no verification,
 * no key export). Its services declare {@code SupportedKeyClasses} so JCA only ever hands it TPM
 * keys. SHA256/384/512withRSA (RSASSA-PKCS1-v1_5), RSASSA-PSS (the parameters are set by the caller, as
 * JSSE does for TLS 1.3), SHA256/384/512withECDSA.
 */
public final class TpmProvider extends Provider {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "est4j-TPM";
  private static final TpmProvider INSTANCE = new TpmProvider();

  private TpmProvider() {
    super(NAME, "1.0", "est4j: signatures by keys in a TPM 2.0");
    Map<String, String> attrs = Map.of("SupportedKeyClasses", TpmPrivateKey.class.getName());
    put("SHA256withRSA", "1.2.840.113549.1.1.11", attrs);
    put("SHA384withRSA", "1.2.840.113549.1.1.12", attrs);
    put("SHA512withRSA", "1.2.840.113549.1.1.13", attrs);
    put("RSASSA-PSS", "1.2.840.113549.1.1.10", attrs);
    put("SHA256withECDSA", "1.2.840.10045.4.3.2", attrs);
    put("SHA384withECDSA", "1.2.840.10045.4.3.3", attrs);
    put("SHA512withECDSA", "1.2.840.10045.4.3.4", attrs);
  }

  private void put(String algorithm, String oid, Map<String, String> attrs) {
    putService(new Service(this, "Signature", algorithm, TpmSignatureSpi.class.getName(),
        List.of("OID." + oid, oid), attrs) {
      @Override
      public Object newInstance(Object constructorParameter) {
        return new TpmSignatureSpi(algorithm);
      }
    });
  }

  public static TpmProvider get() {
    return INSTANCE;
  }

  /** Adds the provider at the end of the JVM's list once (idempotent, thread-safe). */
  static synchronized void install() {
    if (Security.getProvider(NAME) == null) {
      Security.addProvider(INSTANCE);
    }
  }
}
