package io.flotilla.tools.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;

/**
 * What a load-generator connection does with the packets it receives once connected. Every method
 * runs on the connection's event loop; the default does nothing.
 */
interface MqttSessionListener {
  /** A message from a subscription. Its payload is released after this returns. */
  default void onPublish(ChannelHandlerContext ctx, MqttPublishMessage message) {}

  /** The broker acknowledged the QoS 1 publish with this packet identifier. */
  default void onPubAck(ChannelHandlerContext ctx, int packetId) {}

  default void onSubAck(ChannelHandlerContext ctx, MqttSubAckMessage message) {}

  /** The end of one read from the socket: the moment to flush what the packets above wrote. */
  default void onReadComplete(ChannelHandlerContext ctx) {}

  /** The socket can take more data again after it could not. */
  default void onWritable(ChannelHandlerContext ctx) {}

  /** A listener that ignores everything: for idle connections and connect loops. */
  MqttSessionListener IGNORE = new MqttSessionListener() {};
}
