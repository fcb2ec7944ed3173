package io.flotilla.tools.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publish throughput at one QoS: {@code publishers} connections each publish to a topic of their
 * own, and {@code subscribers} connections share those topics between them (publisher {@code i}'s
 * topic goes to subscriber {@code i mod subscribers}), so every message is delivered exactly once.
 * After a warm-up, the run counts the messages subscribers receive in the measured window and
 * their end-to-end latency, and for QoS 1 the publish→PUBACK latency; it also samples how much CPU
 * the broker and the generator used in the window.
 */
final class ThroughputRun {
  private static final Duration DRAIN = Duration.ofSeconds(2);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  private final MqttLoadClient client;
  private final String tag;

  /** @param tag makes this run's client ids and topics its own, e.g. {@code 3f2a} */
  ThroughputRun(MqttLoadClient client, String tag) {
    this.client = client;
    this.tag = tag;
  }

  record Settings(int publishers, int subscribers, MqttQoS qos, int window, int payloadBytes, Duration warmUp,
      Duration measured) {}

  /**
   * What one run measured.
   *
   * @param received messages received in the window
   * @param endToEnd their latencies, publish to receipt
   * @param pubAck publish→PUBACK latencies in the window (QoS 1; empty for QoS 0)
   * @param sent messages published in the whole run; {@code delivered} of them arrived
   * @param stalls how often a publisher stopped waiting for lost messages
   * @param cpu the CPU used in the window by the broker, the generator and the rest of the machine
   */
  record Result(long received, Duration window, LatencyRecorder endToEnd, LatencyRecorder pubAck, long sent,
      long delivered, long stalls, CpuUse cpu) {
    double perSecond() {
      return received / (window.toNanos() / 1e9);
    }
  }

  Result run(RunningBroker broker, Settings settings) {
    ThroughputTiming timing = new ThroughputTiming();
    ThroughputPublisher[] publishers = new ThroughputPublisher[settings.publishers()];
    for (int i = 0; i < publishers.length; i++) {
      publishers[i] = new ThroughputPublisher(i, "flotilla-bench/" + tag + "/" + i, settings.qos(),
          settings.window(), settings.payloadBytes(), timing);
    }
    List<Channel> channels = new ArrayList<>();
    try {
      List<ThroughputSubscriber> subscribers = subscribe(broker, settings, publishers, timing, channels);
      List<Channel> publishing = new ArrayList<>();
      for (int i = 0; i < publishers.length; i++) {
        publishing.add(await(client.connect(broker.plainAddress(), false, "fb" + tag + "p" + i, 60, publishers[i]),
            "publisher " + i + " to connect"));
      }
      channels.addAll(publishing);
      timing.schedule(settings.warmUp().toNanos(), settings.measured().toNanos());
      for (int i = 0; i < publishers.length; i++) {
        publishers[i].start(publishing.get(i));
      }
      sleepUntil(timing.measureFrom());
      CpuUse.Sample cpuFrom = CpuUse.sample(broker.pid());
      sleepUntil(timing.measureUntil());
      CpuUse cpu = CpuUse.between(cpuFrom, CpuUse.sample(broker.pid()));
      timing.stop();
      drain(publishers);
      return collect(settings, publishers, subscribers, channels, cpu);
    } finally {
      timing.stop();
      for (Channel channel : channels) {
        channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
      }
      for (Channel channel : channels) {
        channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
  }

  private List<ThroughputSubscriber> subscribe(RunningBroker broker, Settings settings,
      ThroughputPublisher[] publishers, ThroughputTiming timing, List<Channel> channels) {
    List<ThroughputSubscriber> subscribers = new ArrayList<>();
    for (int s = 0; s < settings.subscribers(); s++) {
      ThroughputSubscriber subscriber = new ThroughputSubscriber(publishers, timing);
      Channel channel = await(client.connect(broker.plainAddress(), false, "fb" + tag + "s" + s, 60, subscriber),
          "subscriber " + s + " to connect");
      channels.add(channel);
      List<MqttTopicSubscription> topics = new ArrayList<>();
      for (int p = s; p < publishers.length; p += settings.subscribers()) {
        topics.add(new MqttTopicSubscription(publishers[p].topic(), settings.qos()));
      }
      channel.writeAndFlush(new MqttSubscribeMessage(
          new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
          MqttMessageIdVariableHeader.from(1), new MqttSubscribePayload(topics)));
      await(subscriber.subscribed(), "subscriber " + s + "'s SUBACK");
      subscribers.add(subscriber);
    }
    return subscribers;
  }

  /** Waits, at most {@link #DRAIN}, until every message published has arrived; the rest counts as lost. */
  private static void drain(ThroughputPublisher[] publishers) {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (System.nanoTime() - deadline < 0) {
      boolean all = true;
      for (ThroughputPublisher publisher : publishers) {
        all &= publisher.received() >= publisher.sentTotal();
      }
      if (all) {
        return;
      }
      sleep(Duration.ofMillis(20));
    }
  }

  private Result collect(Settings settings, ThroughputPublisher[] publishers, List<ThroughputSubscriber> subscribers,
      List<Channel> channels, CpuUse cpu) {
    LatencyRecorder endToEnd = new LatencyRecorder();
    for (int s = 0; s < subscribers.size(); s++) {
      ThroughputSubscriber subscriber = subscribers.get(s);
      endToEnd.add(onLoop(channels.get(s), subscriber::latencies));
    }
    LatencyRecorder pubAck = new LatencyRecorder();
    long sent = 0;
    long delivered = 0;
    long stalls = 0;
    for (ThroughputPublisher publisher : publishers) {
      pubAck.add(onLoop(publisher.channel(), publisher::ackLatencies));
      stalls += onLoop(publisher.channel(), publisher::stalls);
      sent += publisher.sentTotal();
      delivered += publisher.received();
    }
    return new Result(endToEnd.count(), settings.measured(), endToEnd, pubAck, sent, delivered, stalls, cpu);
  }

  /** Reads a connection's state on its own event loop, which also makes its latest writes visible. */
  static <T> T onLoop(Channel channel, Callable<T> read) {
    try {
      return channel.eventLoop().submit(read).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the results of a connection: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("failed waiting for " + what + ": "
          + ConnectRateRun.rootCause(e.getCause()).getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + what, e);
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      sleep(Duration.ofNanos(left));
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
