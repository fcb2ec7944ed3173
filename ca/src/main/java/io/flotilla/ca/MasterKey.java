package io.flotilla.ca;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's master key: 256 random bits that seal every tenant CA's private key. It comes from the
 * {@code master-key} setting ({@code FLOTILLA_MASTER_KEY}) or the key file in the data folder.
 *
 * <p>It is never used directly: the key that wraps data keys and the key's public {@link #id()} are each
 * derived from it with HMAC-SHA256 under their own label, so the id reveals nothing about the key.
 * {@link #toString()} shows the id only.
 */
public final class MasterKey {
  /** Length of a master key in bytes. */
  public static final int BYTES = 32;
  private static final String FORMAT = "must be " + BYTES + " random bytes in base64 (44 characters, e.g. from "
      + "'openssl rand -base64 32') or in hex (64 characters)";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final String id;

  private MasterKey(byte[] key) {
    this.key = key.clone();
    this.id = "mk_" + HexFormat.of().formatHex(Arrays.copyOf(derive("flotilla/master-key-id"), 8));
  }

  /** A new random key. */
  public static MasterKey generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  /**
   * Reads a key written in base64 or hex. The message of the exception says what a key looks like and
   * never repeats the text.
   *
   * @throws IllegalArgumentException when the text is not {@value #BYTES} bytes in base64 or hex, or is not random
   */
  public static MasterKey parse(String text) {
    String trimmed = text.strip();
    byte[] bytes = decode(trimmed);
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(FORMAT);
    }
    boolean oneByteRepeated = true;
    for (byte b : bytes) {
      oneByteRepeated &= b == bytes[0];
    }
    if (oneByteRepeated) {
      throw new IllegalArgumentException(FORMAT + "; this one repeats a single byte, which is not random");
    }
    return new MasterKey(bytes);
  }

  private static byte[] decode(String text) {
    if (text.length() == 2 * BYTES && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return HexFormat.of().parseHex(text);
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notBase64) {
      try {
        return Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException notBase64Url) {
        return new byte[0];
      }
    }
  }

  /** An id for the key, safe to log and store: {@code mk_} and 16 hex digits derived from the key. */
  public String id() {
    return id;
  }

  /** The secret itself in base64, for writing the key file; nowhere else. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /** The AES key that wraps the data keys of sealed keys. */
  SecretKey wrappingKey() {
    return new SecretKeySpec(derive("flotilla/key-wrapping/v1"), "AES");
  }

  private byte[] derive(String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[" + id + "]";
  }
}
