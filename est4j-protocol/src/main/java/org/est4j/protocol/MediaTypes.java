package org.est4j.protocol;

/** The media types of RFC 7030 §3.2.4 and §4, as sent on the wire. */
public final class MediaTypes {
  public static final String PKCS7_MIME = "application/pkcs7-mime";
  public static final String CERTS_ONLY = "application/pkcs7-mime; smime-type=certs-only";
  public static final String SERVER_GENERATED_KEY =
      "application/pkcs7-mime; smime-type=server-generated-key";
  public static final String PKCS10 = "application/pkcs10";
  public static final String PKCS8 = "application/pkcs8";
  public static final String CSRATTRS = "application/csrattrs";
  public static final String MULTIPART_MIXED = "multipart/mixed";
  public static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";

  private MediaTypes() {}
}
