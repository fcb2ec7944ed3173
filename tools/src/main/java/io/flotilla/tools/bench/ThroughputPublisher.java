package io.flotilla.tools.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One publishing connection of a throughput run. It publishes to its own topic as fast as its
 * window lets it: at most {@code window} messages may be on their way, that is published but not
 * yet received by the subscriber (and for QoS 1 also not yet acknowledged by the broker). So the
 * load is as high as the broker can carry without queues growing without bound, and the latencies
 * are those of a busy broker, not of an overflowing one.
 *
 * <p>A message the broker drops (QoS 0 under pressure) would hold its place in the window for
 * ever; when nothing arrives for a second, the publisher gives up on what is outstanding and
 * counts a stall. Everything but {@link #delivered} runs on the connection's event loop.
 */
final class ThroughputPublisher implements MqttSessionListener {
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String topic;
  private final BenchPayload payload;
  private final MqttQoS qos;
  private final int window;
  private final ThroughputTiming timing;
  private final AtomicBoolean parked = new AtomicBoolean();
  private final long[] sentAt = new long[65_536];
  private final LatencyRecorder ackLatencies = new LatencyRecorder();
  /** Set before the first publish; read by the subscriber's thread to wake this publisher. */
  private volatile Channel channel;
  private long sent;
  private long acked;
  private long floor;
  private int packetId;
  private long lastSeen;
  private long lastProgress;
  private long stalls;
  /** Messages published so far, for other threads; updated once per burst. */
  private volatile long sentTotal;
  /** One more than the highest message number the subscriber received; written by its thread only. */
  private volatile long delivered;
  /** Messages the subscriber received; written by its thread only. */
  private volatile long received;

  ThroughputPublisher(int index, String topic, MqttQoS qos, int window, int payloadBytes, ThroughputTiming timing) {
    this.topic = topic;
    this.payload = BenchPayload.of(index, payloadBytes);
    this.qos = qos;
    this.window = window;
    this.timing = timing;
  }

  String topic() {
    return topic;
  }

  /** Starts publishing on {@code connected}'s event loop, until the timing says stop. */
  void start(Channel connected) {
    this.channel = connected;
    channel.eventLoop().execute(() -> {
      lastProgress = System.nanoTime();
      pump();
    });
    var watchdog = channel.eventLoop().scheduleAtFixedRate(this::watchStalls, 250, 250, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> watchdog.cancel(false));
  }

  private void pump() {
    boolean wrote = false;
    while (channel.isWritable()) {
      if (!hasRoom()) {
        parked.set(true);
        // Re-check: the subscriber may have made room between the check and parking.
        if (!hasRoom() || !parked.compareAndSet(true, false)) {
          break;
        }
      }
      publishOne();
      wrote = true;
    }
    if (wrote) {
      sentTotal = sent;
      channel.flush();
    }
  }

  private boolean hasRoom() {
    return timing.isRunning() && sent - Math.max(delivered, floor) < window
        && (qos == MqttQoS.AT_MOST_ONCE || sent - acked < window);
  }

  private void publishOne() {
    long now = System.nanoTime();
    ByteBuf body = payload.encode(channel.alloc(), sent++, timing.sinceOrigin(now));
    int id = 0;
    if (qos != MqttQoS.AT_MOST_ONCE) {
      packetId = packetId == 65_535 ? 1 : packetId + 1;
      id = packetId;
      sentAt[id] = now;
    }
    channel.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
        new MqttPublishVariableHeader(topic, id), body), channel.voidPromise());
  }

  /** The subscriber received message number {@code sequence}; called on the subscriber's event loop. */
  void delivered(long sequence) {
    received = received + 1;
    if (sequence + 1 > delivered) {
      delivered = sequence + 1;
    }
    if (parked.get() && parked.compareAndSet(true, false)) {
      channel.eventLoop().execute(this::pump);
    }
  }

  @Override
  public void onPubAck(ChannelHandlerContext ctx, int id) {
    acked++;
    long now = System.nanoTime();
    if (timing.inWindow(now)) {
      ackLatencies.record(now - sentAt[id]);
    }
  }

  @Override
  public void onReadComplete(ChannelHandlerContext ctx) {
    if (parked.get() && parked.compareAndSet(true, false)) {
      pump();
    }
  }

  @Override
  public void onWritable(ChannelHandlerContext ctx) {
    pump();
  }

  private void watchStalls() {
    if (!timing.isRunning()) {
      return;
    }
    long now = System.nanoTime();
    long base = Math.max(delivered, floor);
    if (base != lastSeen) {
      lastSeen = base;
      lastProgress = now;
    } else if (sent > base && now - lastProgress > STALL_NANOS) {
      floor = sent;
      stalls++;
      lastProgress = now;
      parked.set(false);
      pump();
    }
  }

  long sentTotal() {
    return sentTotal;
  }

  long received() {
    return received;
  }

  /** The publish→PUBACK latencies in the measured window; read on this connection's event loop. */
  LatencyRecorder ackLatencies() {
    return ackLatencies;
  }

  /** How often the publisher gave up waiting for outstanding messages; read on its event loop. */
  long stalls() {
    return stalls;
  }

  Channel channel() {
    return channel;
  }
}
