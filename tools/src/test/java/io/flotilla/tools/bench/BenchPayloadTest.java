package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchPayloadTest {
  /** A message is a JSON document of exactly the size asked for, carrying the publish time, publisher and number. */
  @Test
  void isValidJsonOfTheExactSizeWithItsFixedFieldsReadBack() throws Exception {
    BenchPayload payload = BenchPayload.of(42, 120);
    ByteBuf message = payload.encode(ByteBufAllocator.DEFAULT, 1_234_567L, 98_765_432_101_234L);
    try {
      assertThat(message.readableBytes()).isEqualTo(120);
      JsonNode json = new ObjectMapper().readTree(message.toString(StandardCharsets.US_ASCII));
      assertThat(json.get("ts").asLong()).isEqualTo(98_765_432_101_234L);
      assertThat(json.get("pub").asInt()).isEqualTo(42);
      assertThat(json.get("seq").asLong()).isEqualTo(1_234_567L);
      assertThat(json.get("device").asText()).isEqualTo("bench-00042");
      assertThat(BenchPayload.isBenchPayload(message)).isTrue();
      assertThat(BenchPayload.publishedNanos(message)).isEqualTo(98_765_432_101_234L);
      assertThat(BenchPayload.publisher(message)).isEqualTo(42);
      assertThat(BenchPayload.sequence(message)).isEqualTo(1_234_567L);
    } finally {
      message.release();
    }
  }

  /** The decoder reads from the buffer's reader index, as a PUBLISH payload slice has it. */
  @Test
  void readsFromTheReaderIndex() {
    ByteBuf body = BenchPayload.of(7, BenchPayload.MIN_BYTES).encode(ByteBufAllocator.DEFAULT, 5, 77);
    ByteBuf framed = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3}).writeBytes(body);
    body.release();
    framed.skipBytes(3);
    assertThat(BenchPayload.isBenchPayload(framed)).isTrue();
    assertThat(BenchPayload.publisher(framed)).isEqualTo(7);
    assertThat(BenchPayload.sequence(framed)).isEqualTo(5);
    assertThat(BenchPayload.publishedNanos(framed)).isEqualTo(77);
  }

  /** Larger payloads stay valid JSON; smaller than the fixed fields is refused. */
  @Test
  void growsWithPaddingAndRefusesTooSmall() throws Exception {
    ByteBuf big = BenchPayload.of(0, 1000).encode(ByteBufAllocator.DEFAULT, 0, 0);
    assertThat(big.readableBytes()).isEqualTo(1000);
    assertThat(new ObjectMapper().readTree(big.toString(StandardCharsets.US_ASCII)).get("seq").asLong()).isZero();
    big.release();
    assertThatThrownBy(() -> BenchPayload.of(0, BenchPayload.MIN_BYTES - 1))
        .hasMessageContaining("at least " + BenchPayload.MIN_BYTES);
  }

  /** Someone else's message on a shared broker is told apart, not misread. */
  @Test
  void recognisesForeignPayloads() {
    ByteBuf foreign = Unpooled.copiedBuffer("{\"temperature\": 21.5, \"padding\": \"...........................\"}",
        StandardCharsets.US_ASCII);
    assertThat(BenchPayload.isBenchPayload(foreign)).isFalse();
    assertThat(BenchPayload.isBenchPayload(Unpooled.copiedBuffer("{\"ts\":1}", StandardCharsets.US_ASCII)))
        .isFalse();
  }
}
