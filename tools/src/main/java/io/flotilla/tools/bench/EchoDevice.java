package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.netty.buffer.ByteBuf;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device of the fleet as the platform's twin and command contract sees it (MQTT 3.1.1, see the README's "Device
 * twins" and "Commands"): it subscribes to its commands and twin topics, answers every command at once with
 * {@code succeeded} and the command's payload as its result, acknowledges QoS 1 deliveries, and on request reports
 * twin values, one report on its way at a time, timing each from publish to {@code report/accepted}.
 *
 * <p>Everything runs on the connection's event loop, except {@link #startReporting} and the counters.
 */
final class EchoDevice implements MqttSessionListener {
  private final String id;
  private final String commandsFilter;
  private final String commandsPrefix;
  private final String reportTopic;
  private final String acceptedTopic;
  private final String rejectedTopic;
  private final String deltaTopic;
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private final AtomicLong commandsAnswered = new AtomicLong();
  private final AtomicLong deltasReceived = new AtomicLong();
  private final AtomicLong reportsRejected = new AtomicLong();
  private Channel channel;
  private int packetId;
  private volatile boolean reporting;
  private long reportSentAt;
  private long reportSeq;
  private LatencyRecorder reportLatencies = new LatencyRecorder();
  private volatile long measureFrom = Long.MAX_VALUE;
  private volatile long measureUntil = Long.MAX_VALUE;

  EchoDevice(String id) {
    this.id = id;
    this.commandsFilter = "devices/" + id + "/commands/+";
    this.commandsPrefix = "devices/" + id + "/commands/";
    this.reportTopic = "devices/" + id + "/twin/report";
    this.acceptedTopic = reportTopic + "/accepted";
    this.rejectedTopic = reportTopic + "/rejected";
    this.deltaTopic = "devices/" + id + "/twin/delta";
  }

  String id() {
    return id;
  }

  /** Subscribes on the connected channel; the future completes at SUBACK, failing if a filter was refused. */
  CompletableFuture<Void> subscribe(Channel connected) {
    this.channel = connected;
    connected.eventLoop().execute(() -> connected.writeAndFlush(new MqttSubscribeMessage(
        new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(nextPacketId()), new MqttSubscribePayload(List.of(
            new MqttTopicSubscription(commandsFilter, MqttQoS.AT_LEAST_ONCE),
            new MqttTopicSubscription(deltaTopic, MqttQoS.AT_LEAST_ONCE),
            new MqttTopicSubscription(acceptedTopic, MqttQoS.AT_LEAST_ONCE),
            new MqttTopicSubscription(rejectedTopic, MqttQoS.AT_LEAST_ONCE))))));
    return subscribed;
  }

  @Override
  public void onSubAck(ChannelHandlerContext ctx, MqttSubAckMessage message) {
    if (message.payload().grantedQoSLevels().stream().anyMatch(q -> q >= 0x80)) {
      subscribed.completeExceptionally(new IllegalStateException("device " + id + " may not subscribe to its own"
          + " command and twin topics: " + message.payload().grantedQoSLevels()));
    } else {
      subscribed.complete(null);
    }
  }

  @Override
  public void onPublish(ChannelHandlerContext ctx, MqttPublishMessage message) {
    String topic = message.variableHeader().topicName();
    if (message.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      ctx.write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
          MqttMessageIdVariableHeader.from(message.variableHeader().packetId())));
    }
    if (topic.equals(acceptedTopic)) {
      reported(true);
    } else if (topic.equals(rejectedTopic)) {
      reported(false);
    } else if (topic.equals(deltaTopic)) {
      deltasReceived.incrementAndGet();
    } else if (topic.startsWith(commandsPrefix) && topic.indexOf('/', commandsPrefix.length()) < 0) {
      answer(topic, message.payload());
    }
  }

  @Override
  public void onReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  /** Answers with the command's own payload as the result, which lets the caller check it got this answer. */
  private void answer(String requestTopic, ByteBuf request) {
    ObjectNode response = Json.object().put("status", "succeeded");
    response.set("result", Json.readTrusted(request.toString(StandardCharsets.UTF_8)).get("payload"));
    publish(requestTopic + "/response", Json.write(response));
    commandsAnswered.incrementAndGet();
  }

  /** Starts reporting: one report on its way at a time, timed when it ends between the two instants. */
  void startReporting(long measureFromNanos, long measureUntilNanos) {
    measureFrom = measureFromNanos;
    measureUntil = measureUntilNanos;
    reporting = true;
    channel.eventLoop().execute(this::report);
  }

  void stopReporting() {
    reporting = false;
  }

  private void report() {
    if (!reporting) {
      return;
    }
    reportSeq++;
    reportSentAt = System.nanoTime();
    publish(reportTopic, "{\"reported\":{\"bench\":{\"seq\":" + reportSeq + "}},\"clientToken\":\"r" + reportSeq
        + "\"}");
    channel.flush();
  }

  private void reported(boolean accepted) {
    long now = System.nanoTime();
    if (!accepted) {
      reportsRejected.incrementAndGet();
    } else if (now - measureFrom >= 0 && now - measureUntil < 0) {
      reportLatencies.record(now - reportSentAt);
    }
    report();
  }

  private void publish(String topic, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    channel.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE,
        false, 0), new MqttPublishVariableHeader(topic, nextPacketId()), Unpooled.wrappedBuffer(bytes)),
        channel.voidPromise());
  }

  private int nextPacketId() {
    packetId = packetId == 65_535 ? 1 : packetId + 1;
    return packetId;
  }

  long commandsAnswered() {
    return commandsAnswered.get();
  }

  long deltasReceived() {
    return deltasReceived.get();
  }

  long reportsRejected() {
    return reportsRejected.get();
  }

  /** The report latencies measured so far; read on the event loop so no report is recorded meanwhile. */
  CompletableFuture<LatencyRecorder> takeReportLatencies() {
    CompletableFuture<LatencyRecorder> taken = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      taken.complete(reportLatencies);
      reportLatencies = new LatencyRecorder();
    });
    return taken;
  }
}
