package io.flotilla.core.ca;

import java.util.Objects;

/**
 * A private key encrypted with a master key (envelope encryption). Only the {@link CertificateAuthority}
 * implementation knows the format of {@code ciphertext}; the master key's id is kept beside it so that a
 * server started with another master key says so instead of failing obscurely, and so that keys can later
 * be re-sealed under a new master key.
 *
 * @param masterKeyId the id of the master key that sealed it (not the key: an id derived from it)
 * @param ciphertext the sealed key, self-describing (it starts with its format version)
 */
public record SealedKey(String masterKeyId, String ciphertext) {
  public SealedKey {
    Objects.requireNonNull(masterKeyId, "masterKeyId");
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (masterKeyId.isBlank() || ciphertext.isBlank()) {
      throw new IllegalArgumentException("a sealed key needs its master key id and its ciphertext");
    }
  }

  @Override
  public String toString() {
    return "SealedKey[masterKeyId=" + masterKeyId + "]";
  }
}
