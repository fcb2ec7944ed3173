package io.flotilla.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One device of {@code bench ingest}: a connection publishing its readings to {@code
 * devices/{id}/telemetry} at QoS 1, phase after phase. At full load it keeps {@code window}
 * messages unacknowledged at all times; paced, it publishes on its {@link PacedSchedule}, never
 * more than {@code window} unacknowledged either. It times every publish→PUBACK that ends inside
 * the phase's measured window. Everything but the volatile counters runs on the connection's
 * event loop.
 */
final class IngestPublisher implements MqttSessionListener {
  private final String topic;
  private final TelemetryPayload payload;
  private final int window;
  private final long[] sentAt = new long[65_536];
  private Channel channel;
  private int packetId;
  private long sent;
  private long acked;
  /** The phase under way (none yet: a stopped one), and what this device did in it. */
  private ThroughputTiming timing = stopped();
  private Optional<PacedSchedule> schedule = Optional.empty();
  private ScheduledFuture<?> ticker;
  private long sentInPhase;
  private long maxBacklog;
  private LatencyRecorder latencies = new LatencyRecorder();
  /** Totals for other threads: messages published, and acknowledged, over the whole run. */
  private volatile long sentTotal;
  private volatile long ackedTotal;

  IngestPublisher(int device, String topic, int window) {
    this.topic = topic;
    this.payload = new TelemetryPayload(device);
    this.window = window;
  }

  private static ThroughputTiming stopped() {
    ThroughputTiming none = new ThroughputTiming();
    none.stop();
    return none;
  }

  String topic() {
    return topic;
  }

  /** Binds the publisher to its connection, before the first phase. */
  void attach(Channel connected) {
    this.channel = connected;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Starts a phase on the connection's event loop: full load when {@code paced} is empty, else on
   * that schedule; until {@code phase} says stop. Counts and latencies start afresh.
   */
  void start(ThroughputTiming phase, Optional<PacedSchedule> paced) {
    channel.eventLoop().execute(() -> {
      timing = phase;
      schedule = paced;
      sentInPhase = 0;
      maxBacklog = 0;
      latencies = new LatencyRecorder();
      if (paced.isPresent()) {
        long tick = paced.get().tickNanos();
        long firstIn = Math.max(0, paced.get().startNanos() - System.nanoTime());
        ticker = channel.eventLoop().scheduleAtFixedRate(this::pump, firstIn, tick, TimeUnit.NANOSECONDS);
      } else {
        pump();
      }
    });
  }

  private void pump() {
    if (!timing.isRunning()) {
      if (ticker != null) {
        ticker.cancel(false);
        ticker = null;
      }
      return;
    }
    long due = schedule.map(s -> s.dueBy(System.nanoTime())).orElse(Long.MAX_VALUE);
    boolean wrote = false;
    while (sentInPhase < due && sent - acked < window && channel.isWritable()) {
      publishOne();
      wrote = true;
    }
    if (schedule.isPresent()) {
      maxBacklog = Math.max(maxBacklog, due - sentInPhase);
    }
    if (wrote) {
      sentTotal = sent;
      channel.flush();
    }
  }

  private void publishOne() {
    long now = System.nanoTime();
    ByteBuf body = payload.encode(channel.alloc(), sent, System.currentTimeMillis());
    sent++;
    sentInPhase++;
    packetId = packetId == 65_535 ? 1 : packetId + 1;
    sentAt[packetId] = now;
    channel.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE,
        false, 0), new MqttPublishVariableHeader(topic, packetId), body), channel.voidPromise());
  }

  @Override
  public void onPubAck(ChannelHandlerContext ctx, int id) {
    acked++;
    ackedTotal = acked;
    long now = System.nanoTime();
    if (timing.inWindow(now)) {
      latencies.record(now - sentAt[id]);
    }
  }

  @Override
  public void onReadComplete(ChannelHandlerContext ctx) {
    pump();
  }

  @Override
  public void onWritable(ChannelHandlerContext ctx) {
    pump();
  }

  long sentTotal() {
    return sentTotal;
  }

  long ackedTotal() {
    return ackedTotal;
  }

  /** The publish→PUBACK latencies of the phase's measured window; read on this connection's event loop. */
  LatencyRecorder latencies() {
    return latencies;
  }

  /** The most messages this device was ever behind its schedule in the phase; read on its event loop. */
  long maxBacklog() {
    return maxBacklog;
  }
}
