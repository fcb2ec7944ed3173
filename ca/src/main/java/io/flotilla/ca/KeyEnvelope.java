package io.flotilla.ca;

import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.ca.SealedKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of private keys with AES-256-GCM: a fresh random data key encrypts the private key,
 * and the master key's wrapping key encrypts the data key. Re-sealing under a new master key (rotation)
 * then only re-wraps data keys.
 *
 * <p>Format {@code v1.<nonce‖wrapped data key>.<nonce‖encrypted key>} (each part base64url, 12-byte random
 * nonces, 16-byte tags). Both encryptions authenticate the format version and a context naming what the
 * key belongs to ({@code tenant-ca/acme/ca_…}), so a sealed key copied to another row does not open there.
 */
final class KeyEnvelope {
  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final MasterKey master;

  KeyEnvelope(MasterKey master) {
    this.master = master;
  }

  SealedKey seal(byte[] plaintext, String context) {
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    try {
      String wrapped = encrypt(master.wrappingKey(), dataKey, aad(context, "data-key"));
      String body = encrypt(new SecretKeySpec(dataKey, "AES"), plaintext, aad(context, "key"));
      return new SealedKey(master.id(), VERSION + "." + wrapped + "." + body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required of every Java runtime", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * Opens a sealed key; the caller should wipe the result after use.
   *
   * @throws CaKeyUnavailableException when another master key sealed it, or it was altered or moved
   */
  byte[] open(SealedKey sealed, String context) {
    if (!sealed.masterKeyId().equals(master.id())) {
      throw new CaKeyUnavailableException("The key of " + context + " was sealed with master key "
          + sealed.masterKeyId() + ", but this server's master key is " + master.id()
          + "; start the server with the master key it was sealed with", null);
    }
    String[] parts = sealed.ciphertext().split("\\.");
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new CaKeyUnavailableException("The sealed key of " + context + " is not in a format this server "
          + "reads (" + VERSION + "); it was altered, or written by a newer Flotilla", null);
    }
    byte[] dataKey = null;
    try {
      dataKey = decrypt(master.wrappingKey(), parts[1], aad(context, "data-key"));
      return decrypt(new SecretKeySpec(dataKey, "AES"), parts[2], aad(context, "key"));
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new CaKeyUnavailableException("The sealed key of " + context + " does not open with master key "
          + master.id() + " although its id matches: the stored key was altered or belongs to another CA", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required of every Java runtime", e);
    } finally {
      if (dataKey != null) {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
  }

  private static String encrypt(SecretKey key, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    byte[] sealed = cipher.doFinal(plaintext);
    return ENCODER.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
  }

  private static byte[] decrypt(SecretKey key, String part, byte[] aad) throws GeneralSecurityException {
    byte[] bytes = Base64.getUrlDecoder().decode(part);
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new AEADBadTagException("too short to be sealed");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
    cipher.updateAAD(aad);
    return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
  }

  private static byte[] aad(String context, String part) {
    return (VERSION + "/" + part + "/" + context).getBytes(StandardCharsets.UTF_8);
  }
}
