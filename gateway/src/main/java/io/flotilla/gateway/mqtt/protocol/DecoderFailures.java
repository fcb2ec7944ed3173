package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.gateway.mqtt.DisconnectReason;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a packet the decoder could not decode. The connection always closes (the decoder discards
 * everything after a bad packet); what is sent first depends on where the connection was:
 * <ul>
 *   <li>a CONNECT with an unknown protocol level gets CONNACK 0x01 (MQTT-3.1.2-2); an unknown protocol
 *       name gets nothing (MQTT-3.1.2-1);</li>
 *   <li>a CONNECT with an unacceptable client id gets CONNACK 0x02 / 0x85;</li>
 *   <li>any other bad packet of an accepted MQTT 5 client gets DISCONNECT 0x95 (packet too large) or
 *       0x81 (malformed packet); MQTT 3.1.1 clients are just disconnected (MQTT-4.8.0-1).</li>
 * </ul>
 */
final class DecoderFailures {

  private static final Logger LOG = LoggerFactory.getLogger(DecoderFailures.class);

  private DecoderFailures() {
  }

  static void handle(MqttConnection c, MqttMessage msg) {
    Throwable cause = msg.decoderResult().cause();
    c.services.metrics.dropped(cause instanceof TooLongFrameException ? "packet_too_large" : "malformed");
    LOG.debug("Closing connection of {}: undecodable packet ({}).", c.describe(), cause.getMessage());
    if (c.phase == MqttConnection.Phase.AWAIT_CONNECT) {
      refuseConnect(c, cause);
      return;
    }
    boolean tooLarge = cause instanceof TooLongFrameException;
    c.closeWith(DisconnectReason.PROTOCOL_ERROR, tooLarge ? ReasonCodes.PACKET_TOO_LARGE : ReasonCodes.MALFORMED_PACKET,
        tooLarge ? "Packet larger than " + c.services.config.maxPacketSize() + " bytes" : "Malformed packet");
  }

  private static void refuseConnect(MqttConnection c, Throwable cause) {
    if (cause instanceof MqttUnacceptableProtocolVersionException) {
      // Netty reports both cases alike; its message starts with the protocol name it read.
      String message = String.valueOf(cause.getMessage());
      c.services.metrics.connect("unsupported_protocol_version");
      if (!message.startsWith("MQTT ") && !message.startsWith("MQIsdp ")) {
        c.close(DisconnectReason.PROTOCOL_ERROR);
        return;
      }
      // The version is unknown, so answer in the 3.1.1 format every client version understands.
      sendAndClose(c, Packets.connAck(ReasonCodes.V3_UNACCEPTABLE_PROTOCOL_VERSION, false, MqttProperties.NO_PROPERTIES));
      return;
    }
    if (cause instanceof MqttIdentifierRejectedException) {
      c.services.metrics.connect("client_identifier_not_valid");
      // The decoder has set the protocol version by now, so the code matches it.
      int code = decodedVersionIsV5(c) ? 0x85 : ReasonCodes.V3_IDENTIFIER_REJECTED;
      sendAndClose(c, Packets.connAck(code, false, MqttProperties.NO_PROPERTIES));
      return;
    }
    c.services.metrics.connect("malformed");
    c.close(DisconnectReason.PROTOCOL_ERROR);
  }

  private static boolean decodedVersionIsV5(MqttConnection c) {
    io.netty.util.Attribute<io.netty.handler.codec.mqtt.MqttVersion> version =
        c.ctx.channel().attr(io.netty.util.AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION"));
    return version.get() == io.netty.handler.codec.mqtt.MqttVersion.MQTT_5;
  }

  private static void sendAndClose(MqttConnection c, Object packet) {
    c.sendThenClose(packet, DisconnectReason.PROTOCOL_ERROR);
  }
}
