package io.flotilla.ca;

import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.ca.SecretVault;

/**
 * Secrets sealed the way CA keys are ({@link KeyEnvelope}: AES-256-GCM under a random data key wrapped by the
 * master key), each bound to its context, so enrollment groups' symmetric keys sit in the registry only sealed.
 */
public final class EnvelopeSecretVault implements SecretVault {
  private final KeyEnvelope envelope;

  public EnvelopeSecretVault(MasterKey masterKey) {
    this.envelope = new KeyEnvelope(masterKey);
  }

  @Override
  public SealedKey seal(byte[] secret, String context) {
    return envelope.seal(secret, context);
  }

  @Override
  public byte[] open(SealedKey sealed, String context) {
    return envelope.open(sealed, context);
  }
}
