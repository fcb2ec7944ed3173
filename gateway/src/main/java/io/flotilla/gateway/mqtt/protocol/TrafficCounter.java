package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.gateway.mqtt.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the MQTT bytes in and out of every connection; one shared instance per broker. */
@ChannelHandler.Sharable
public final class TrafficCounter extends ChannelDuplexHandler {

  private final BrokerMetrics metrics;

  TrafficCounter(BrokerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      metrics.bytesIn(buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf) {
      metrics.bytesOut(buf.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
