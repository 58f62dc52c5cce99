package org.est4j.client.internal.pkcs11;

import java.util.Optional;

/**
 * Whether this code may call the JDK's PKCS#11 binding, {@code sun.security.pkcs11.wrapper} in
 * module {@code jdk.crypto.cryptoki}. That package is not exported: the JVM needs {@link #FLAG}
 * (est4j's shaded jar and bin/ launchers carry it). Checked before any class that touches the
 * wrapper is used, so a missing flag is a message, not an IllegalAccessError.
 */
public final class P11Access {
  public static final String FLAG = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
  private static final String MODULE = "jdk.crypto.cryptoki";
  private static final String PACKAGE = "sun.security.pkcs11.wrapper";

  private P11Access() {}

  /** Empty when the wrapper is usable, else what the user has to do. */
  public static Optional<String> problem() {
    Optional<Module> cryptoki = ModuleLayer.boot().findModule(MODULE);
    if (cryptoki.isEmpty()) {
      return Optional.of("this Java runtime has no module " + MODULE
          + " (SunPKCS11): use a full JDK/JRE or add it to the jlink image");
    }
    if (!cryptoki.get().isExported(PACKAGE, P11Access.class.getModule())) {
      return Optional.of("PKCS#11 keys without a certificate need the JVM option " + FLAG
          + " (java -jar with est4j's estclient/estserver jar sets it from the manifest)");
    }
    return Optional.empty();
  }
}
