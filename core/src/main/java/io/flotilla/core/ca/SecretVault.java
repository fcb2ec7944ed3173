package io.flotilla.core.ca;

/**
 * Seals secrets the platform must be able to read again (not just compare), such as an enrollment group's
 * symmetric key from which device keys are derived, with the server's master key. Implemented next to the CA
 * keys' sealing in the {@code ca} module; {@code context} names what the secret belongs to and is
 * authenticated, so a sealed secret copied to another row does not open there.
 */
public interface SecretVault {

  SealedKey seal(byte[] secret, String context);

  /**
   * Opens a sealed secret; the caller wipes the result after use.
   *
   * @throws CaKeyUnavailableException when another master key sealed it, or it was altered or moved
   */
  byte[] open(SealedKey sealed, String context);
}
