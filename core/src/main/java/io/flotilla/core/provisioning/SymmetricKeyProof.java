package io.flotilla.core.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric-key attestation, all in hex so that {@code openssl dgst -sha256 -mac HMAC} reproduces it:
 * <ul>
 *   <li>device key = HMAC-SHA256(group key, device id);</li>
 *   <li>password = {@code <expiry epoch seconds>.<hex HMAC-SHA256(device key, "<device id>\n<expiry>")>}.</li>
 * </ul>
 * A factory puts only the device key on a device, so one device's secret cannot prove another's membership.
 */
public final class SymmetricKeyProof {
  private static final HexFormat HEX = HexFormat.of();

  private SymmetricKeyProof() {}

  public static byte[] deviceKey(byte[] groupKey, String deviceId) {
    return hmac(groupKey, deviceId);
  }

  public static String password(byte[] deviceKey, String deviceId, long expiryEpochSeconds) {
    return expiryEpochSeconds + "." + HEX.formatHex(hmac(deviceKey, deviceId + "\n" + expiryEpochSeconds));
  }

  /** The expiry a well-formed password names, empty when it is not of the form {@code <digits>.<64 hex>}. */
  public static Optional<Long> expiry(String password) {
    int dot = password.indexOf('.');
    if (dot < 1 || dot > 12 || password.length() != dot + 65) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(password.substring(0, dot)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True when {@code password} was made with the device key derived from {@code groupKey} for {@code deviceId}. */
  public static boolean verify(byte[] groupKey, String deviceId, String password) {
    Optional<Long> expiry = expiry(password);
    if (expiry.isEmpty()) {
      return false;
    }
    byte[] expected = password(deviceKey(groupKey, deviceId), deviceId, expiry.get())
        .getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, password.toLowerCase(java.util.Locale.ROOT)
        .getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(byte[] key, String message) {
    return hmacSha256(key, message.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256 of {@code message} under {@code key}; also what signs the pre-provisioning webhook's requests. */
  public static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is required of every Java runtime", e);
    }
  }
}
