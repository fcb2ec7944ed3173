package io.flotilla.tools.simulate;

import io.flotilla.device.DeviceScheduler;
import io.flotilla.device.DiskBuffer;
import io.flotilla.device.FlotillaDevice;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A simulated fleet from start to end: register the devices through the REST API, connect them at the
 * ramp rate, publish, print progress once a second, and close them all at the end (or on {@link #stop}).
 * Every device shares one scheduler (two platform threads; Paho's loops on virtual threads).
 */
public final class Simulation {
  /** How long a stopping simulation waits for connected devices to deliver what they buffered. */
  static final Duration DRAIN = Duration.ofSeconds(5);
  /** The SDK logs each connect at INFO; a fleet of them would drown the progress lines. */
  private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.flotilla.device");

  private final SimulationOptions options;
  private final PrintWriter out;
  private final SimulationStats stats = new SimulationStats();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final List<SimulatedDevice> devices = new ArrayList<>();

  public Simulation(SimulationOptions options, PrintWriter out) {
    this.options = options;
    this.out = out;
    SDK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  public SimulationStats stats() {
    return stats;
  }

  /** The ids the simulation uses: prefix + a zero-padded number, from 1. */
  public List<String> deviceIds() {
    int width = Math.max(5, Integer.toString(options.devices()).length());
    return IntStream.rangeClosed(1, options.devices())
        .mapToObj(i -> options.idPrefix() + String.format("%0" + width + "d", i)).toList();
  }

  /** Ends {@link #run} early: devices disconnect and the summary is printed. */
  public void stop() {
    stopped.countDown();
  }

  /** Stops the simulation and waits until {@link #run} has closed the devices (for a Ctrl-C hook). */
  public void stopAndWait(Duration atMost) throws InterruptedException {
    stop();
    finished.await(atMost.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs the simulation until its duration is over or {@link #stop} is called. */
  public SimulationStats run() throws InterruptedException {
    try {
      return runToEnd();
    } finally {
      finished.countDown();
    }
  }

  private SimulationStats runToEnd() throws InterruptedException {
    List<String> ids = deviceIds();
    List<String> tokens = register(ids);
    ScheduledExecutorService scheduler = DeviceScheduler.create(2);
    long started = System.nanoTime();
    Thread progress = Thread.ofPlatform().daemon().name("simulate-progress").start(() -> printProgress(started));
    try {
      connect(ids, tokens, scheduler);
      if (options.duration().isZero()) {
        stopped.await();
      } else {
        long left = options.duration().toNanos() - (System.nanoTime() - started);
        stopped.await(Math.max(0, left), TimeUnit.NANOSECONDS);
      }
    } finally {
      List<SimulatedDevice> all;
      synchronized (devices) {
        all = List.copyOf(devices);
      }
      all.forEach(SimulatedDevice::stopPublishing);
      out.println("Stopping: waiting up to " + DRAIN.toSeconds() + " s for buffered telemetry, then disconnecting "
          + all.size() + " devices.");
      out.flush();
      long drainUntil = System.nanoTime() + DRAIN.toNanos();
      while (System.nanoTime() < drainUntil && all.stream().anyMatch(d -> d.isConnected() && d.buffered() > 0)) {
        Thread.sleep(50);
      }
      progress.interrupt();
      try (ExecutorService closing = Executors.newVirtualThreadPerTaskExecutor()) {
        synchronized (devices) {
          devices.forEach(d -> closing.submit(d::close));
        }
      }
      scheduler.shutdownNow();
    }
    out.printf("Done: %,d sent, %,d acknowledged, %,d refused, %,d commands answered, %,d twin updates, %,d errors.%n",
        stats.sent(), stats.acknowledged(), stats.refused(), stats.commands(), stats.twinUpdates(), stats.errors());
    out.flush();
    return stats;
  }

  private List<String> register(List<String> ids) {
    FleetRegistration registration = new FleetRegistration(options.server(), options.adminToken());
    out.printf("Registering %,d simulated devices (%s…) with %s%n", ids.size(), ids.getFirst(), options.server());
    out.flush();
    registration.ensureProfile(options.profile(), SensorProfile.telemetrySchema());
    int added = registration.ensureDevices(ids, options.idPrefix(), options.profile());
    out.printf("  %,d new, %,d registered before; issuing device tokens…%n", added, ids.size() - added);
    out.flush();
    int step = Math.max(1000, ids.size() / 10);
    List<String> tokens = registration.issueTokens(ids, done -> {
      if (done % step == 0 && done < ids.size()) {
        out.printf("  %,d/%,d tokens%n", done, ids.size());
        out.flush();
      }
    });
    out.printf("Connecting %,d devices to %s at up to %,d per second, each publishing %s message(s)/s%n",
        ids.size(), options.mqttUri(), options.connectsPerSecond(), options.rate());
    out.flush();
    return tokens;
  }

  private void connect(List<String> ids, List<String> tokens, ScheduledExecutorService scheduler)
      throws InterruptedException {
    SensorProfile sensors = SensorProfile.parse(options.sensors());
    Duration interval = Duration.ofNanos(Math.round(1e9 / options.rate()));
    long rampStart = System.nanoTime();
    for (int i = 0; i < ids.size(); i++) {
      if (stopped.getCount() == 0) {
        return;
      }
      String id = ids.get(i);
      FlotillaDevice.Builder builder = FlotillaDevice.builder(options.mqttUri(), id).token(tokens.get(i))
          .scheduler(scheduler).backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
      if (options.bufferDir().isPresent()) {
        builder.buffer(DiskBuffer.open(options.bufferDir().get().resolve(id), options.bufferBytes(), false));
      } else {
        builder.memoryBuffer(options.bufferBytes());
      }
      SimulatedDevice device = new SimulatedDevice(id, builder, scheduler, sensors, interval, stats, id.hashCode());
      synchronized (devices) {
        devices.add(device);
      }
      device.start();
      long due = rampStart + (long) ((i + 1) * 1e9 / options.connectsPerSecond());
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  private void printProgress(long started) {
    long sentBefore = 0;
    long ackedBefore = 0;
    long last = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      out.println(line(started, sentBefore, ackedBefore, (now - last) / 1e9));
      out.flush();
      sentBefore = stats.sent();
      ackedBefore = stats.acknowledged();
      last = now;
    }
  }

  private String line(long started, long sentBefore, long ackedBefore, double seconds) {
    int connected = 0;
    long buffered = 0;
    synchronized (devices) {
      for (SimulatedDevice d : devices) {
        connected += d.isConnected() ? 1 : 0;
        buffered += d.buffered();
      }
    }
    return stats.line(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), connected, options.devices(),
        buffered, sentBefore, ackedBefore, seconds);
  }
}
