package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One provisioning by claim as a factory-fresh device does it (MQTT 3.1.1 over TLS with the batch's claim
 * certificate): subscribe to its own response topics, publish {@code $provisioning/register} with its device id and
 * CSR, and wait for the answer. {@link #provisioned} completes with the channel once the answer is {@code accepted}
 * and carries a certificate, and fails with the refusal otherwise.
 */
final class ClaimClient implements MqttSessionListener {
  private final String clientId;
  private final String deviceId;
  private final String csrPem;
  private final CompletableFuture<Channel> provisioned = new CompletableFuture<>();

  ClaimClient(String clientId, String deviceId, String csrPem) {
    this.clientId = clientId;
    this.deviceId = deviceId;
    this.csrPem = csrPem;
  }

  CompletableFuture<Channel> provisioned() {
    return provisioned;
  }

  /** Starts the exchange on a connected channel; runs on its event loop. */
  void start(Channel channel) {
    channel.eventLoop().execute(() -> channel.writeAndFlush(new MqttSubscribeMessage(
        new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(1), new MqttSubscribePayload(List.of(
            new MqttTopicSubscription("$provisioning/responses/" + clientId + "/#", MqttQoS.AT_LEAST_ONCE))))));
  }

  @Override
  public void onSubAck(ChannelHandlerContext ctx, MqttSubAckMessage message) {
    if (message.payload().grantedQoSLevels().get(0) >= 0x80) {
      provisioned.completeExceptionally(new IllegalStateException("the claim may not subscribe to its responses"));
      return;
    }
    String body = Json.write(Json.object().put("requestId", "r-" + deviceId).put("deviceId", deviceId)
        .put("csrPem", csrPem));
    ctx.writeAndFlush(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false,
        MqttQoS.AT_LEAST_ONCE, false, 0), new MqttPublishVariableHeader("$provisioning/register", 2),
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public void onPublish(ChannelHandlerContext ctx, MqttPublishMessage message) {
    if (message.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE,
          false, 0), MqttMessageIdVariableHeader.from(message.variableHeader().packetId())));
    }
    JsonNode answer = Json.readTrusted(message.payload().toString(StandardCharsets.UTF_8));
    if (message.variableHeader().topicName().endsWith("/accepted")
        && answer.path("deviceId").asText().equals(deviceId)
        && answer.path("certificatePem").asText().contains("BEGIN CERTIFICATE")) {
      provisioned.complete(ctx.channel());
    } else {
      provisioned.completeExceptionally(new IllegalStateException("provisioning " + deviceId + " was answered on "
          + message.variableHeader().topicName() + ": " + answer));
    }
  }
}
