package io.flotilla.tools.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One load-generator connection's MQTT 3.1.1 session: sends CONNECT (clean session, with the login
 * if there is one) as soon as
 * the socket is up (a TLS handler holds it until the handshake is done), completes {@code
 * connected} on a successful CONNACK, answers its own keep-alive with PINGREQ when the connection
 * has been quiet, and hands everything else to the {@link MqttSessionListener}.
 */
final class MqttClientHandler extends ChannelInboundHandlerAdapter {
  private final String clientId;
  private final Optional<MqttLogin> login;
  private final int keepAliveSeconds;
  private final long connackTimeoutMillis;
  private final MqttSessionListener listener;
  private final CompletableFuture<Channel> connected;
  private ScheduledFuture<?> connackTimeout;

  MqttClientHandler(String clientId, Optional<MqttLogin> login, int keepAliveSeconds, long connackTimeoutMillis,
      MqttSessionListener listener, CompletableFuture<Channel> connected) {
    this.clientId = clientId;
    this.login = login;
    this.keepAliveSeconds = keepAliveSeconds;
    this.connackTimeoutMillis = connackTimeoutMillis;
    this.listener = listener;
    this.connected = connected;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
        .clientId(clientId).cleanSession(true).keepAlive(keepAliveSeconds);
    login.ifPresent(l -> connect.hasUser(true).username(l.username()).hasPassword(true)
        .password(l.password().getBytes(StandardCharsets.UTF_8)));
    ctx.writeAndFlush(connect.build());
    connackTimeout = ctx.executor().schedule(() -> {
      if (connected.completeExceptionally(new IOException("no CONNACK within " + connackTimeoutMillis + " ms"))) {
        ctx.close();
      }
    }, connackTimeoutMillis, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      MqttMessage message = (MqttMessage) msg;
      if (message.decoderResult().isFailure()) {
        fail(ctx, new IOException("undecodable packet from the broker: " + message.decoderResult().cause()));
        return;
      }
      switch (message.fixedHeader().messageType()) {
        case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) message);
        case PUBLISH -> listener.onPublish(ctx, (MqttPublishMessage) message);
        case PUBACK -> listener.onPubAck(ctx, ((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
        case SUBACK -> listener.onSubAck(ctx, (MqttSubAckMessage) message);
        default -> { }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
    MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
    connackTimeout.cancel(false);
    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      connected.complete(ctx.channel());
    } else {
      fail(ctx, new IOException("the broker refused the connection: " + code));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    listener.onReadComplete(ctx);
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      listener.onWritable(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.writeAndFlush(MqttMessage.PINGREQ);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!connected.isDone()) {
      connected.completeExceptionally(new IOException("the broker closed the connection before CONNACK"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    connected.completeExceptionally(cause);
    ctx.close();
  }
}
