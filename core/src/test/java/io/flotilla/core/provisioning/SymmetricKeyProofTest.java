package io.flotilla.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The symmetric-key proof, checked against values openssl computed (openssl dgst -sha256 -mac HMAC). */
class SymmetricKeyProofTest {
  private static final byte[] GROUP_KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  /** printf '%s' meter-0001 | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001…1f */
  private static final String DEVICE_KEY = "e3dc2e6271c94faf1e497bf068bc2ec49eccd01ebab850e05b59be6d9056890b";
  /** printf 'meter-0001\n1800000000' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$DEVICE_KEY */
  private static final String PASSWORD = "1800000000.68e3fe22ab18e44a9760173f84f38201e3ea997d5bc085ae12083637cf318339";

  /** The device key and the password are what openssl makes from the documented formulas. */
  @Test
  void derivationMatchesOpenssl() {
    byte[] deviceKey = SymmetricKeyProof.deviceKey(GROUP_KEY, "meter-0001");
    assertThat(HexFormat.of().formatHex(deviceKey)).isEqualTo(DEVICE_KEY);
    assertThat(SymmetricKeyProof.password(deviceKey, "meter-0001", 1_800_000_000L)).isEqualTo(PASSWORD);
    assertThat(SymmetricKeyProof.verify(GROUP_KEY, "meter-0001", PASSWORD)).isTrue();
    assertThat(SymmetricKeyProof.verify(GROUP_KEY, "meter-0001", PASSWORD.toUpperCase())).as("hex in capitals")
        .isTrue();
  }

  /** A proof does not carry over to another device id, another expiry or another group key. */
  @Test
  void proofIsBoundToItsDeviceExpiryAndKey() {
    assertThat(SymmetricKeyProof.verify(GROUP_KEY, "meter-0002", PASSWORD)).isFalse();
    assertThat(SymmetricKeyProof.verify(GROUP_KEY, "meter-0001", "1800000001" + PASSWORD.substring(10))).isFalse();
    assertThat(SymmetricKeyProof.verify(new byte[32], "meter-0001", PASSWORD)).isFalse();
    assertThat(SymmetricKeyProof.expiry("x.y")).isEmpty();
    assertThat(SymmetricKeyProof.expiry(PASSWORD)).contains(1_800_000_000L);
    assertThat(SymmetricKeyProof.verify(GROUP_KEY, "meter-0001", "1800000000.zz")).isFalse();
  }
}
