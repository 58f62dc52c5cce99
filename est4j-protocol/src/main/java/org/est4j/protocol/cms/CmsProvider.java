package org.est4j.protocol.cms;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider object the CMS code hands to Bouncy Castle's operators. Used as an
 * object and never registered with {@link java.security.Security}, so an embedding application's
 * provider order stays as it is (see {@link org.est4j.protocol.Jca}). Needed because the JDK has
 * no X9.63-KDF ECDH (dhSinglePass-stdDH-sha256kdf-scheme) that Bouncy Castle's key agreement asks for.
 */
final class CmsProvider {
  static final Provider BC = new BouncyCastleProvider();

  private CmsProvider() {}
}
