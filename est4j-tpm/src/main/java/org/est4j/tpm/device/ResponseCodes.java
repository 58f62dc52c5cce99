package org.est4j.tpm.device;

import java.util.Map;

/**
 * TPM_RC values (TPM 2.0 Part 2 §6.6) decoded for people: "TPM_RC_AUTH_FAIL (authorization
 * failure, session 1): 0x98e" rather than a bare number.
 */
final class ResponseCodes {
  static final int SUCCESS = 0;
  static final int INITIALIZE = 0x100;
  static final int FMT1 = 0x080;
  static final int HANDLE = 0x08B;
  static final int NV_UNINITIALIZED = 0x14A;

  private static final Map<Integer, String> FORMAT_ZERO = Map.ofEntries(
      Map.entry(0x100, "TPM_RC_INITIALIZE (TPM not initialized: TPM2_Startup missing)"),
      Map.entry(0x101, "TPM_RC_FAILURE (the TPM is in failure mode)"),
      Map.entry(0x103, "TPM_RC_SEQUENCE (improper use of a sequence handle)"),
      Map.entry(0x120, "TPM_RC_DISABLED (the command is disabled)"),
      Map.entry(0x121, "TPM_RC_EXCLUSIVE (command failed because audit sequence required exclusivity)"),
      Map.entry(0x124, "TPM_RC_AUTH_TYPE (authorization handle is not correct for command)"),
      Map.entry(0x125, "TPM_RC_AUTH_MISSING (command requires an authorization session)"),
      Map.entry(0x126, "TPM_RC_POLICY (policy failure in math operation or an invalid authPolicy value)"),
      Map.entry(0x127, "TPM_RC_PCR (PCR check fail)"),
      Map.entry(0x128, "TPM_RC_PCR_CHANGED (PCR have changed since checked)"),
      Map.entry(0x12D, "TPM_RC_UPGRADE (field upgrade in progress)"),
      Map.entry(0x12E, "TPM_RC_TOO_MANY_CONTEXTS (context ID counter is at maximum)"),
      Map.entry(0x12F, "TPM_RC_AUTH_UNAVAILABLE (authValue or authPolicy is not available for the selected entity)"),
      Map.entry(0x130, "TPM_RC_REBOOT (a _TPM_Init and Startup(CLEAR) is required)"),
      Map.entry(0x131, "TPM_RC_UNBALANCED (the protection algorithms are not reasonably balanced)"),
      Map.entry(0x142, "TPM_RC_COMMAND_SIZE (command size inconsistent with the contents)"),
      Map.entry(0x143, "TPM_RC_COMMAND_CODE (command code not supported)"),
      Map.entry(0x144, "TPM_RC_AUTHSIZE (the authorization size is out of range or does not match the sessions)"),
      Map.entry(0x145, "TPM_RC_AUTH_CONTEXT (use of an authorization session with a context command)"),
      Map.entry(0x146, "TPM_RC_NV_RANGE (NV offset+size is out of range)"),
      Map.entry(0x147, "TPM_RC_NV_SIZE (requested allocation size is larger than allowed)"),
      Map.entry(0x148, "TPM_RC_NV_LOCKED (NV access locked)"),
      Map.entry(0x149, "TPM_RC_NV_AUTHORIZATION (NV access authorization fails in command actions)"),
      Map.entry(0x14A, "TPM_RC_NV_UNINITIALIZED (an NV Index is used before being initialized)"),
      Map.entry(0x14B, "TPM_RC_NV_SPACE (insufficient space for NV allocation)"),
      Map.entry(0x14C, "TPM_RC_NV_DEFINED (NV Index or persistent object already defined)"),
      Map.entry(0x150, "TPM_RC_BAD_CONTEXT (context in TPM2_ContextLoad() is not valid)"),
      Map.entry(0x151, "TPM_RC_CPHASH (cpHash value already set or not correct for use)"),
      Map.entry(0x152, "TPM_RC_PARENT (handle for parent is not a valid parent)"),
      Map.entry(0x153, "TPM_RC_NEEDS_TEST (some function needs testing)"),
      Map.entry(0x154, "TPM_RC_NO_RESULT (an internal function cannot process a request due to an unspecified problem)"),
      Map.entry(0x155, "TPM_RC_SENSITIVE (the sensitive area did not unmarshal correctly after decryption)"));

  private static final Map<Integer, String> FORMAT_ONE = Map.ofEntries(
      Map.entry(0x081, "TPM_RC_ASYMMETRIC (asymmetric algorithm not supported or not correct)"),
      Map.entry(0x082, "TPM_RC_ATTRIBUTES (inconsistent attributes)"),
      Map.entry(0x083, "TPM_RC_HASH (hash algorithm not supported or not appropriate)"),
      Map.entry(0x084, "TPM_RC_VALUE (value is out of range or is not correct for the context)"),
      Map.entry(0x085, "TPM_RC_HIERARCHY (hierarchy is not enabled or is not correct for the use)"),
      Map.entry(0x087, "TPM_RC_KEY_SIZE (key size is not supported)"),
      Map.entry(0x088, "TPM_RC_MGF (mask generation function not supported)"),
      Map.entry(0x089, "TPM_RC_MODE (mode of operation not supported)"),
      Map.entry(0x08A, "TPM_RC_TYPE (the type of the value is not appropriate for the use)"),
      Map.entry(0x08B, "TPM_RC_HANDLE (the handle is not correct for the use: no object there?)"),
      Map.entry(0x08C, "TPM_RC_KDF (unsupported key derivation function or function not appropriate for use)"),
      Map.entry(0x08D, "TPM_RC_RANGE (value was out of allowed range)"),
      Map.entry(0x08E, "TPM_RC_AUTH_FAIL (the authorization HMAC check failed: wrong password?)"),
      Map.entry(0x08F, "TPM_RC_NONCE (invalid nonce size or nonce value mismatch)"),
      Map.entry(0x090, "TPM_RC_PP (authorization requires assertion of PP)"),
      Map.entry(0x092, "TPM_RC_SCHEME (unsupported or incompatible scheme)"),
      Map.entry(0x095, "TPM_RC_SIZE (structure is the wrong size)"),
      Map.entry(0x096, "TPM_RC_SYMMETRIC (unsupported symmetric algorithm or key size, or not appropriate for instance)"),
      Map.entry(0x097, "TPM_RC_TAG (incorrect structure tag)"),
      Map.entry(0x098, "TPM_RC_SELECTOR (union selector is incorrect)"),
      Map.entry(0x09A, "TPM_RC_INSUFFICIENT (the TPM was unable to unmarshal a value because there were not enough octets in the input buffer)"),
      Map.entry(0x09B, "TPM_RC_SIGNATURE (the signature is not valid)"),
      Map.entry(0x09C, "TPM_RC_KEY (key fields are not compatible with the selected use)"),
      Map.entry(0x09D, "TPM_RC_POLICY_FAIL (a policy check failed)"),
      Map.entry(0x09F, "TPM_RC_INTEGRITY (integrity check failed: the credential was not made for this EK and key?)"),
      Map.entry(0x0A0, "TPM_RC_TICKET (invalid ticket: a restricted key cannot sign an external digest)"),
      Map.entry(0x0A1, "TPM_RC_RESERVED_BITS (reserved bits not set to zero as required)"),
      Map.entry(0x0A2, "TPM_RC_BAD_AUTH (authorization failure without DA implications: wrong password?)"),
      Map.entry(0x0A3, "TPM_RC_EXPIRED (the policy has expired)"),
      Map.entry(0x0A4, "TPM_RC_POLICY_CC (the commandCode in the policy is not the commandCode of the command)"),
      Map.entry(0x0A5, "TPM_RC_BINDING (public and sensitive portions of an object are not cryptographically bound)"),
      Map.entry(0x0A6, "TPM_RC_CURVE (curve not supported)"),
      Map.entry(0x0A7, "TPM_RC_ECC_POINT (point is not on the required curve)"));

  private static final Map<Integer, String> WARNINGS = Map.ofEntries(
      Map.entry(0x901, "TPM_RC_CONTEXT_GAP (gap for context ID is too large)"),
      Map.entry(0x902, "TPM_RC_OBJECT_MEMORY (out of memory for object contexts: flush transient objects)"),
      Map.entry(0x903, "TPM_RC_SESSION_MEMORY (out of memory for session contexts)"),
      Map.entry(0x904, "TPM_RC_MEMORY (out of shared object/session memory or need space for internal operations)"),
      Map.entry(0x905, "TPM_RC_SESSION_HANDLES (out of session handles)"),
      Map.entry(0x906, "TPM_RC_OBJECT_HANDLES (out of object handles)"),
      Map.entry(0x907, "TPM_RC_LOCALITY (bad locality)"),
      Map.entry(0x908, "TPM_RC_YIELDED (the TPM has suspended operation on the command)"),
      Map.entry(0x909, "TPM_RC_CANCELED (the command was canceled)"),
      Map.entry(0x90A, "TPM_RC_TESTING (TPM is performing self-tests)"),
      Map.entry(0x910, "TPM_RC_REFERENCE_H0 (the 1st handle references a transient object or session that is not loaded)"),
      Map.entry(0x911, "TPM_RC_REFERENCE_H1 (the 2nd handle references a transient object or session that is not loaded)"),
      Map.entry(0x912, "TPM_RC_REFERENCE_H2 (the 3rd handle references a transient object or session that is not loaded)"),
      Map.entry(0x918, "TPM_RC_REFERENCE_S0 (the 1st authorization session is not loaded)"),
      Map.entry(0x919, "TPM_RC_REFERENCE_S1 (the 2nd authorization session is not loaded)"),
      Map.entry(0x921, "TPM_RC_LOCKOUT (the TPM is in dictionary-attack lockout)"),
      Map.entry(0x922, "TPM_RC_RETRY (the TPM was not able to start the command)"),
      Map.entry(0x923, "TPM_RC_NV_UNAVAILABLE (the command may require writing of NV and NV is not currently accessible)"));

  private ResponseCodes() {}

  /** TPM_RC_YIELDED, TPM_RC_TESTING, TPM_RC_RETRY: send the same command again. */
  static boolean isRetryable(int rc) {
    return rc == 0x908 || rc == 0x90A || rc == 0x922;
  }

  /** Format-one codes without their parameter, handle or session number; others unchanged. */
  static int base(int rc) {
    return (rc & FMT1) != 0 ? (rc & 0x3F) | FMT1 : rc;
  }

  static String describe(int rc) {
    String hex = String.format("0x%x", rc);
    if ((rc & FMT1) != 0) {
      String name = FORMAT_ONE.getOrDefault((rc & 0x3F) | FMT1, "unknown format-one error");
      int n = (rc >> 8) & 0xF;
      String where;
      if ((rc & 0x40) != 0) {
        where = "parameter " + n;
      } else if ((n & 0x8) != 0) {
        where = "session " + (n & 0x7);
      } else {
        where = "handle " + n;
      }
      return name + ", " + where + ": " + hex;
    }
    if ((rc & 0x900) == 0x900) {
      return WARNINGS.getOrDefault(rc, "unknown TPM warning") + ": " + hex;
    }
    if ((rc & 0x100) != 0) {
      return FORMAT_ZERO.getOrDefault(rc & 0x17F, "unknown TPM error") + ": " + hex;
    }
    if ((rc & 0x400) != 0 || (rc & 0xFFF) != rc) {
      return "TPM vendor or layer-specific error (not a TPM 2.0 response code; a TPM 1.2 or resource manager error?): " + hex;
    }
    return "TPM 1.2 style response code (a TPM 1.2 device?): " + hex;
  }
}
