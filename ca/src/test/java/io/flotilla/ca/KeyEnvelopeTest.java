package io.flotilla.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.ca.SealedKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyEnvelopeTest {
  private static final byte[] SECRET = "-----BEGIN PRIVATE KEY----- the CA key".getBytes(StandardCharsets.US_ASCII);
  private final MasterKey master = MasterKey.generate();
  private final KeyEnvelope envelope = new KeyEnvelope(master);

  /** A sealed key opens to the same bytes, names its master key, and holds no trace of the plaintext. */
  @Test
  void sealedKeyRoundTripsAndHidesThePlaintext() {
    SealedKey sealed = envelope.seal(SECRET, "tenant-ca/acme/ca_1");

    assertThat(envelope.open(sealed, "tenant-ca/acme/ca_1")).isEqualTo(SECRET);
    assertThat(sealed.masterKeyId()).isEqualTo(master.id());
    assertThat(sealed.ciphertext()).startsWith("v1.").doesNotContain("PRIVATE")
        .doesNotContain(Base64.getEncoder().encodeToString(SECRET).substring(0, 12));
    assertThat(envelope.seal(SECRET, "tenant-ca/acme/ca_1").ciphertext()).as("fresh nonces and data key")
        .isNotEqualTo(sealed.ciphertext());
  }

  /** Another master key refuses to open it, naming both key ids, instead of returning garbage. */
  @Test
  void wrongMasterKeyIsRefusedNamingBothKeys() {
    SealedKey sealed = envelope.seal(SECRET, "tenant-ca/acme/ca_1");
    MasterKey other = MasterKey.generate();

    assertThatThrownBy(() -> new KeyEnvelope(other).open(sealed, "tenant-ca/acme/ca_1"))
        .isInstanceOf(CaKeyUnavailableException.class)
        .hasMessageContaining(master.id()).hasMessageContaining(other.id());
    SealedKey relabelled = new SealedKey(other.id(), sealed.ciphertext());
    assertThatThrownBy(() -> new KeyEnvelope(other).open(relabelled, "tenant-ca/acme/ca_1"))
        .isInstanceOf(CaKeyUnavailableException.class).hasMessageContaining("does not open");
  }

  /** A sealed key altered in storage, or copied to another CA's row, does not open. */
  @Test
  void alteredOrMovedKeyDoesNotOpen() {
    SealedKey sealed = envelope.seal(SECRET, "tenant-ca/acme/ca_1");
    String text = sealed.ciphertext();
    int inTheTag = text.length() - 10;
    SealedKey altered = new SealedKey(sealed.masterKeyId(), text.substring(0, inTheTag)
        + (text.charAt(inTheTag) == 'A' ? 'B' : 'A') + text.substring(inTheTag + 1));

    assertThatThrownBy(() -> envelope.open(altered, "tenant-ca/acme/ca_1"))
        .isInstanceOf(CaKeyUnavailableException.class).hasMessageContaining("altered");
    assertThatThrownBy(() -> envelope.open(sealed, "tenant-ca/globex/ca_1"))
        .isInstanceOf(CaKeyUnavailableException.class);
    assertThatThrownBy(() -> envelope.open(new SealedKey(master.id(), "v9.x.y"), "tenant-ca/acme/ca_1"))
        .isInstanceOf(CaKeyUnavailableException.class).hasMessageContaining("format");
  }
}
