package io.flotilla.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
  private static final byte[] BYTES = HexFormat.of().parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** The same 32 bytes read from base64 and from hex are the same key, known by the same id. */
  @Test
  void base64AndHexSpellTheSameKey() {
    MasterKey fromBase64 = MasterKey.parse(Base64.getEncoder().encodeToString(BYTES) + "\n");
    MasterKey fromHex = MasterKey.parse(HexFormat.of().formatHex(BYTES));

    assertThat(fromBase64.id()).isEqualTo(fromHex.id()).matches("mk_[0-9a-f]{16}");
    assertThat(fromBase64.toBase64()).isEqualTo(Base64.getEncoder().encodeToString(BYTES));
    assertThat(MasterKey.generate().id()).isNotEqualTo(fromHex.id());
  }

  /** A key of the wrong length or without randomness is refused, and the message never repeats the text. */
  @Test
  void malformedKeysAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> MasterKey.parse("c2hvcnQtc2VjcmV0")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openssl rand -base64 32").hasMessageNotContaining("c2hvcnQtc2VjcmV0");
    assertThatThrownBy(() -> MasterKey.parse("not a key at all!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasterKey.parse(Base64.getEncoder().encodeToString(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not random");
  }

  /** Neither toString nor the id shows the key. */
  @Test
  void toStringShowsOnlyTheId() {
    MasterKey key = MasterKey.parse(HexFormat.of().formatHex(BYTES));

    assertThat(key.toString()).isEqualTo("MasterKey[" + key.id() + "]");
    assertThat(key.id()).doesNotContain(HexFormat.of().formatHex(BYTES, 0, 8));
  }
}
