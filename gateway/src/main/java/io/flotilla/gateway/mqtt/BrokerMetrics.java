package io.flotilla.gateway.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The broker's meters, all named {@code flotilla.mqtt.*}: connections and sessions (gauges), connect
 * attempts by result, messages in and out by QoS, bytes in and out, messages dropped and refused by
 * reason, messages queued for sessions, and connections throttled or disconnected by the rate limits
 * ({@code flotilla.mqtt.rate.limited}). Counters are created once and cached, so counting on the
 * message path does not allocate.
 */
public final class BrokerMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong queued = new AtomicLong();
  private final Counter[] messagesIn = new Counter[3];
  private final Counter[] messagesOut = new Counter[3];
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final ConcurrentHashMap<String, Counter> connects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> dropped = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();
  private final Counter throttled;
  private final Counter rateDisconnected;

  public BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("flotilla.mqtt.connections", connections, AtomicInteger::get)
        .description("Open MQTT network connections").register(registry);
    Gauge.builder("flotilla.mqtt.queued.messages", queued, AtomicLong::get)
        .description("QoS 1/2 messages waiting in sessions").register(registry);
    for (int qos = 0; qos < 3; qos++) {
      messagesIn[qos] = Counter.builder("flotilla.mqtt.messages.in").tag("qos", Integer.toString(qos))
          .description("PUBLISH packets received from clients").register(registry);
      messagesOut[qos] = Counter.builder("flotilla.mqtt.messages.out").tag("qos", Integer.toString(qos))
          .description("PUBLISH packets sent to clients").register(registry);
    }
    bytesIn = Counter.builder("flotilla.mqtt.bytes.in").baseUnit("bytes").register(registry);
    bytesOut = Counter.builder("flotilla.mqtt.bytes.out").baseUnit("bytes").register(registry);
    throttled = Counter.builder("flotilla.mqtt.rate.limited").tag("action", "throttled")
        .description("Connections slowed down for exceeding their PUBLISH rate (counted once each)")
        .register(registry);
    rateDisconnected = Counter.builder("flotilla.mqtt.rate.limited").tag("action", "disconnected")
        .description("Connections closed for flooding far past their PUBLISH rate").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void sessionsGauge(Supplier<Number> sessions) {
    Gauge.builder("flotilla.mqtt.sessions", sessions).description("MQTT sessions, online and offline")
        .register(registry);
  }

  public void retainedGauge(Supplier<Number> retained) {
    Gauge.builder("flotilla.mqtt.retained.messages", retained).register(registry);
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public int connections() {
    return connections.get();
  }

  /** A CONNECT ended with {@code result}: {@code accepted} or a refusal reason in lower case. */
  public void connect(String result) {
    connects.computeIfAbsent(result, r -> Counter.builder("flotilla.mqtt.connects").tag("result", r)
        .register(registry)).increment();
  }

  public void messageIn(int qos) {
    messagesIn[qos].increment();
  }

  public void messageOut(int qos) {
    messagesOut[qos].increment();
  }

  public void bytesIn(long bytes) {
    bytesIn.increment(bytes);
  }

  public void bytesOut(long bytes) {
    bytesOut.increment(bytes);
  }

  /** A message was not delivered to one session, for {@code reason} (queue_full, expired, too_large…). */
  public void dropped(String reason) {
    dropped.computeIfAbsent(reason, r -> Counter.builder("flotilla.mqtt.messages.dropped").tag("reason", r)
        .register(registry)).increment();
  }

  /** The authorizer refused a {@code publish}, {@code subscribe} or {@code will}. */
  public void refused(String what) {
    refused.computeIfAbsent(what, r -> Counter.builder("flotilla.mqtt.refused").tag("operation", r)
        .register(registry)).increment();
  }

  /** A connection was slowed down for the first time for exceeding its PUBLISH rate. */
  public void throttled() {
    throttled.increment();
  }

  /** A connection was closed for flooding past the hard rate limit. */
  public void rateDisconnected() {
    rateDisconnected.increment();
  }

  public void queuedChanged(long delta) {
    queued.addAndGet(delta);
  }
}
