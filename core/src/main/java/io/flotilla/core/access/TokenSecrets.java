package io.flotilla.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and hashes bearer secrets. Secrets carry 256 random bits, so a plain SHA-256 is a safe
 * store: there is nothing to brute-force, and a hash lookup stays O(1) on every request.
 */
public final class TokenSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

  private TokenSecrets() {}

  /** Prefix of API tokens. */
  public static final String API_TOKEN_PREFIX = "flt_";
  /** Prefix of device tokens, so that a device door tells them from API tokens without a lookup. */
  public static final String DEVICE_TOKEN_PREFIX = "fdt_";

  /** A new API token secret such as {@code flt_Qk3…} (47 characters). */
  public static String newSecret() {
    return newSecret(API_TOKEN_PREFIX);
  }

  /** A new secret of 256 random bits after {@code prefix}. */
  public static String newSecret(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A short public id with a prefix, e.g. {@code tok_x7k2m9qa4c}. */
  public static String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix).append('_');
    for (int i = 0; i < 10; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }

  public static String hash(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
