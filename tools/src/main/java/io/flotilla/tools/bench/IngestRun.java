package io.flotilla.tools.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The devices of one {@code bench ingest} target, connected once and driven through the phases:
 * full load (each device keeps its window of QoS 1 messages unacknowledged) and paced load. After
 * each phase every message published must be acknowledged, within {@link #DRAIN}, and no
 * connection may have been closed by the broker; else the phase fails.
 */
final class IngestRun implements AutoCloseable {
  static final Duration DRAIN = Duration.ofSeconds(30);
  /** Connections being opened at once: a device's CONNECT costs the server a token check. */
  private static final int CONNECTING_AT_ONCE = 50;

  /** A device as the generator connects it: client id, and its login where the broker wants one. */
  record Device(String id, Optional<MqttLogin> login) {
    Device {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(login, "login");
    }

    String topic() {
      return "devices/" + id + "/telemetry";
    }
  }

  /**
   * What one phase measured.
   *
   * @param acknowledged PUBACKs received in the measured window
   * @param latencies their publish→PUBACK latencies
   * @param maxBacklog paced: the most messages one device was behind its schedule (0 at full load)
   */
  record Phase(long acknowledged, Duration window, LatencyRecorder latencies, CpuUse cpu, long maxBacklog) {
    double perSecond() {
      return acknowledged / (window.toNanos() / 1e9);
    }
  }

  private final List<IngestPublisher> publishers;
  private volatile boolean closing;
  private volatile String lost;

  private IngestRun(List<IngestPublisher> publishers) {
    this.publishers = publishers;
  }

  /** Connects every device; fails with the first refusal or timeout. */
  static IngestRun connect(MqttLoadClient client, InetSocketAddress broker, List<Device> devices, int window) {
    List<IngestPublisher> publishers = new ArrayList<>();
    IngestRun run = new IngestRun(publishers);
    try {
      for (int from = 0; from < devices.size(); from += CONNECTING_AT_ONCE) {
        List<CompletableFuture<Channel>> connecting = new ArrayList<>();
        List<IngestPublisher> batch = new ArrayList<>();
        for (int i = from; i < Math.min(devices.size(), from + CONNECTING_AT_ONCE); i++) {
          Device device = devices.get(i);
          IngestPublisher publisher = new IngestPublisher(i, device.topic(), window);
          batch.add(publisher);
          connecting.add(client.connect(broker, false, device.id(), 60, device.login(), publisher));
        }
        for (int i = 0; i < batch.size(); i++) {
          Channel channel = ThroughputRun.await(connecting.get(i), "device " + devices.get(from + i).id()
              + " to connect");
          IngestPublisher publisher = batch.get(i);
          publisher.attach(channel);
          publishers.add(publisher);
          String id = devices.get(from + i).id();
          channel.closeFuture().addListener(closed -> run.lostConnection(id));
        }
      }
      return run;
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  private void lostConnection(String device) {
    if (!closing && lost == null) {
      lost = device;
    }
  }

  int devices() {
    return publishers.size();
  }

  /** Every device keeps its window full: the most the broker sustains. */
  Phase full(Duration warmUp, Duration measured, ServerCpu cpu) {
    return phase(warmUp, measured, OptionalDouble.empty(), cpu);
  }

  /** The devices publish {@code perSecond} messages per second together, evenly spread. */
  Phase paced(double perSecond, Duration warmUp, Duration measured, ServerCpu cpu) {
    return phase(warmUp, measured, OptionalDouble.of(perSecond), cpu);
  }

  private Phase phase(Duration warmUp, Duration measured, OptionalDouble pace, ServerCpu cpu) {
    ThroughputTiming timing = new ThroughputTiming();
    timing.schedule(warmUp.toNanos(), measured.toNanos());
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    try {
      for (int i = 0; i < publishers.size(); i++) {
        Optional<PacedSchedule> schedule = pace.isPresent()
            ? Optional.of(PacedSchedule.of(i, publishers.size(), pace.getAsDouble(), start)) : Optional.empty();
        publishers.get(i).start(timing, schedule);
      }
      sleepUntil(timing.measureFrom());
      ServerCpu.Sample from = cpu.sample();
      sleepUntil(timing.measureUntil());
      CpuUse used = cpu.between(from, cpu.sample());
      timing.stop();
      drain();
      LatencyRecorder latencies = new LatencyRecorder();
      long backlog = 0;
      for (IngestPublisher publisher : publishers) {
        latencies.add(ThroughputRun.onLoop(publisher.channel(), publisher::latencies));
        backlog = Math.max(backlog, ThroughputRun.onLoop(publisher.channel(), publisher::maxBacklog));
      }
      return new Phase(latencies.count(), measured, latencies, used, backlog);
    } finally {
      timing.stop();
    }
  }

  /** Waits until every message published is acknowledged; fails after {@link #DRAIN} or when a connection is lost. */
  private void drain() {
    for (IngestPublisher publisher : publishers) {
      // The loop has finished the burst it was in when the phase stopped: the counters are final.
      ThroughputRun.onLoop(publisher.channel(), () -> null);
    }
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (true) {
      checkConnections();
      long outstanding = published() - acknowledged();
      if (outstanding == 0) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(String.format(Locale.ROOT, "%,d of %,d messages published were not"
            + " acknowledged within %d s of the end of the phase", outstanding, published(), DRAIN.toSeconds()));
      }
      sleep(Duration.ofMillis(20));
    }
  }

  private void checkConnections() {
    if (lost != null) {
      throw new IllegalStateException("the broker closed the connection of device " + lost + " (its log says why;"
          + " for Flotilla's reasons, run with --server-log-level info --keep-files and read flotilla.log)");
    }
  }

  /** Messages published over the whole run. */
  long published() {
    return publishers.stream().mapToLong(IngestPublisher::sentTotal).sum();
  }

  /** PUBACKs received over the whole run. */
  long acknowledged() {
    return publishers.stream().mapToLong(IngestPublisher::ackedTotal).sum();
  }

  /** Sends DISCONNECT on every connection and waits for them to close. */
  @Override
  public void close() {
    closing = true;
    for (IngestPublisher publisher : publishers) {
      publisher.channel().writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
    }
    for (IngestPublisher publisher : publishers) {
      publisher.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
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
