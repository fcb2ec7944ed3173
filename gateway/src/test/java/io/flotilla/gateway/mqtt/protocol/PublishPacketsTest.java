package io.flotilla.gateway.mqtt.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.UserProperty;
import io.flotilla.gateway.mqtt.session.Delivery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The size computed before sending equals what the encoder writes, so the maximum packet size holds exactly. */
class PublishPacketsTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100, 20_000})
  void computedSizeMatchesTheEncodedSize(int payloadSize) {
    long now = System.currentTimeMillis();
    BrokerMessage m = new BrokerMessage("size/tøpic", new byte[payloadSize], 1, false,
        Optional.of(Instant.ofEpochMilli(now + 60_000)), Optional.of("text/plain"), Optional.of("reply/to"),
        Optional.of(new byte[] {1, 2, 3}), true, List.of(new UserProperty("k", "v"), new UserProperty("ключ", "w")),
        Instant.ofEpochMilli(now));
    Delivery d = new Delivery(m, 1, false, new int[] {5, 300, 70_000});
    for (boolean v5 : new boolean[] {false, true}) {
      int encoded = encodedSize(PublishPackets.build(d, 7, false, v5, Integer.MAX_VALUE, now), v5);
      assertThat(PublishPackets.build(d, 7, false, v5, encoded, now)).as("fits exactly").isNotNull();
      assertThat(PublishPackets.build(d, 7, false, v5, encoded - 1, now)).as("one byte too big").isNull();
    }
  }

  private static int encodedSize(MqttPublishMessage packet, boolean v5) {
    EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
    channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION"))
        .set(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
    channel.writeOutbound(packet);
    int size = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      size += out.readableBytes();
      out.release();
    }
    channel.finishAndReleaseAll();
    return size;
  }
}
