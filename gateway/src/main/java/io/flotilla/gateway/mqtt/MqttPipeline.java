package io.flotilla.gateway.mqtt;

import io.flotilla.gateway.mqtt.protocol.BrokerServices;
import io.flotilla.gateway.mqtt.protocol.CertificateSource;
import io.flotilla.gateway.mqtt.protocol.MqttConnection;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

/**
 * Installs the MQTT handlers at the end of a Netty pipeline: a byte counter, the decoder (bounded by the
 * configured maximum packet size, strict UTF-8), the encoder and the connection handler. Whatever sits
 * in front (an {@code SslHandler}, a WebSocket frame codec that passes binary frames on as
 * {@code ByteBuf}s) stays; the broker sees only MQTT bytes.
 */
public final class MqttPipeline {

  /** Handler names, for those who add handlers around them. */
  public static final String TRAFFIC = "mqttTraffic";
  public static final String DECODER = "mqttDecoder";
  public static final String ENCODER = "mqttEncoder";
  public static final String CONNECTION = "mqttConnection";

  private MqttPipeline() {
  }

  static void install(ChannelPipeline pipeline, BrokerServices services, CertificateSource certificates) {
    BrokerConfig config = services.config();
    pipeline.addLast(TRAFFIC, services.trafficCounter());
    pipeline.addLast(DECODER, new MqttDecoder(config.maxPacketSize(), config.maxClientIdLength(), true));
    pipeline.addLast(ENCODER, MqttEncoder.INSTANCE);
    pipeline.addLast(CONNECTION, new MqttConnection(services, certificates));
  }
}
