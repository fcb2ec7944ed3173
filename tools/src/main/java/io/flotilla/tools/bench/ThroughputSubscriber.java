package io.flotilla.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One subscribing connection of a throughput run: subscribes to some publishers' topics, and for
 * every message counts it and its latency (publish time in the payload to receipt) when it arrives
 * in the measured window, tells its publisher it arrived, and acknowledges it if it is QoS 1 (all
 * PUBACKs of one read are flushed together). Runs on its connection's event loop only.
 */
final class ThroughputSubscriber implements MqttSessionListener {
  private final ThroughputPublisher[] publishers;
  private final ThroughputTiming timing;
  private final LatencyRecorder latencies = new LatencyRecorder();
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private long foreign;
  private boolean unflushed;

  /** @param publishers every publisher of the run, by index, so that a payload finds its own */
  ThroughputSubscriber(ThroughputPublisher[] publishers, ThroughputTiming timing) {
    this.publishers = publishers;
    this.timing = timing;
  }

  @Override
  public void onPublish(ChannelHandlerContext ctx, MqttPublishMessage message) {
    long now = System.nanoTime();
    ByteBuf payload = message.payload();
    if (BenchPayload.isBenchPayload(payload) && BenchPayload.publisher(payload) < publishers.length) {
      if (timing.inWindow(now)) {
        latencies.record(timing.sinceOrigin(now) - BenchPayload.publishedNanos(payload));
      }
      publishers[BenchPayload.publisher(payload)].delivered(BenchPayload.sequence(payload));
    } else {
      foreign++;
    }
    if (message.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      ctx.write(new MqttPubAckMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
          MqttMessageIdVariableHeader.from(message.variableHeader().packetId())), ctx.voidPromise());
      unflushed = true;
    }
  }

  @Override
  public void onReadComplete(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  @Override
  public void onSubAck(ChannelHandlerContext ctx, MqttSubAckMessage message) {
    List<Integer> granted = message.payload().grantedQoSLevels();
    if (granted.stream().anyMatch(code -> code >= 0x80)) {
      subscribed.completeExceptionally(new IOException("the broker refused a subscription: SUBACK " + granted));
    } else {
      subscribed.complete(null);
    }
  }

  /** Completes when the broker granted every subscription. */
  CompletableFuture<Void> subscribed() {
    return subscribed;
  }

  /** The end-to-end latencies of the messages received in the window; read on the event loop. */
  LatencyRecorder latencies() {
    return latencies;
  }

  /** Messages that were not the benchmark's own (a shared broker); read on the event loop. */
  long foreign() {
    return foreign;
  }
}
