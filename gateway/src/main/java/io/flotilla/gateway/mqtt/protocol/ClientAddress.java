package io.flotilla.gateway.mqtt.protocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * The address of the client behind a channel: the channel's own remote address, unless a transport
 * that tunnels MQTT (WebSocket over an in-process channel) recorded the real one in {@link #KEY}.
 */
public final class ClientAddress {
  /** Set on a channel before its CONNECT arrives by listeners whose channel address is not the client's. */
  public static final AttributeKey<SocketAddress> KEY = AttributeKey.valueOf("flotilla.clientAddress");

  private ClientAddress() {}

  public static SocketAddress of(Channel channel) {
    SocketAddress tunnelled = channel.attr(KEY).get();
    return tunnelled != null ? tunnelled : channel.remoteAddress();
  }
}
