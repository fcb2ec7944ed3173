package io.flotilla.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A device's connection to Flotilla: telemetry through a store-and-forward buffer, the device twin,
 * commands, and reconnection with exponential backoff and jitter.
 *
 * <pre>{@code
 * try (FlotillaDevice device = FlotillaDevice.builder("tcp://localhost:1883", "pump-7")
 *     .token("fdt_…")
 *     .diskBuffer(Path.of("/var/lib/pump/buffer"), 64 * 1024 * 1024)
 *     .build()) {
 *   device.onCommand("reboot", command -> CommandResult.success());
 *   device.onDesiredChanged((delta, version) -> device.reportTwin(delta));
 *   device.start();
 *   device.publish("{\"temperature\":21.5}");   // returns once buffered; sent when connected
 * }
 * }</pre>
 *
 * <p>{@link #publish} returns as soon as the message is in the buffer (on disk with {@link
 * Builder#diskBuffer}); the SDK sends buffered messages in order with QoS 1 whenever connected, and a
 * message leaves the buffer only when the platform's PUBACK says it is stored — or refused for good
 * (reason 0x99, reported to {@link DeviceListener#telemetryRefused}). Delivery is at least once: after
 * a lost connection or a restart, messages whose PUBACK did not arrive are sent again.
 *
 * <p>Each connection starts clean (MQTT 5 clean start, no session kept): the buffer, not the broker,
 * holds what the device has not delivered, and the device subscribes again after every connect.
 */
public final class FlotillaDevice implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FlotillaDevice.class.getName());

  private final Builder settings;
  private final DeviceTopics topics;
  private final TelemetryBuffer buffer;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final Backoff backoff;
  private final TelemetrySender sender;
  private final TwinChannel twins;
  private final CommandDispatcher commands;
  private final MqttAsyncClient client;
  private final AtomicBoolean started = new AtomicBoolean();
  /** Set while a connection attempt is scheduled, so that several signals of one loss reconnect once. */
  private final AtomicBoolean reconnectScheduled = new AtomicBoolean();
  private volatile boolean closed;
  private volatile Consumer<Twin> onTwin;
  private volatile boolean connected;

  private FlotillaDevice(Builder b) {
    this.settings = b;
    this.topics = new DeviceTopics(b.deviceId);
    this.buffer = b.buffer.orElseGet(() -> new MemoryBuffer(b.memoryBufferBytes));
    this.ownsScheduler = b.scheduler.isEmpty();
    this.scheduler = b.scheduler.orElseGet(() -> VirtualThreadScheduler.create(1));
    this.backoff = new Backoff(b.initialBackoff, b.maxBackoff);
    this.sender = new TelemetrySender(buffer, topics.telemetry(), b.window, b.listener, this::dropConnection);
    this.twins = new TwinChannel(topics, this::publishQos1, scheduler, b.requestTimeout);
    this.commands = new CommandDispatcher(topics, this::respond, scheduler, b.listener, Clock.systemUTC());
    try {
      this.client = new MqttAsyncClient(b.serverUri, b.deviceId, new MemoryPersistence(), null, scheduler);
    } catch (MqttException e) {
      throw new IllegalArgumentException("cannot make an MQTT client for " + b.serverUri + ": " + e.getMessage(), e);
    }
    client.setCallback(new Callback());
  }

  /**
   * Starts configuring a device. {@code serverUri} is {@code tcp://host:1883} (plain, for development)
   * or {@code ssl://host:8883} (TLS); {@code deviceId} is the device's id in Flotilla, used as the MQTT
   * client id.
   */
  public static Builder builder(String serverUri, String deviceId) {
    return new Builder(serverUri, deviceId);
  }

  /** The device's id. */
  public String deviceId() {
    return settings.deviceId;
  }

  /** Connects in the background and keeps connecting until {@link #close}; returns at once. */
  public void start() {
    if (closed) {
      throw new IllegalStateException("device " + settings.deviceId + " is closed");
    }
    if (started.compareAndSet(false, true)) {
      scheduler.execute(this::connect);
    }
  }

  /** Whether the device is connected and subscribed now. */
  public boolean isConnected() {
    return connected;
  }

  /**
   * Buffers a telemetry message (a JSON object, or an array of objects as a batch) and returns its
   * sequence number in the buffer. Returns once the message is in the buffer; it is sent when connected.
   *
   * @throws IllegalArgumentException when {@code json} is not a JSON object or array
   * @throws BufferFullException when the buffer is full (nothing was stored)
   */
  public long publish(String json) {
    return publish(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Buffers a telemetry message given as a Jackson tree; see {@link #publish(String)}. */
  public long publish(JsonNode reading) {
    if (!(reading.isObject() || reading.isArray())) {
      throw new IllegalArgumentException("telemetry must be a JSON object (one reading) or an array of objects "
          + "(a batch)");
    }
    return append(DeviceJson.bytes(reading)); // a tree is JSON already: no second parse
  }

  /** Buffers a telemetry message given as UTF-8 JSON bytes; see {@link #publish(String)}. */
  public long publish(byte[] json) {
    DeviceJson.requireTelemetry(json);
    return append(json);
  }

  private long append(byte[] json) {
    if (closed) {
      throw new IllegalStateException("device " + settings.deviceId + " is closed");
    }
    long seq = buffer.append(json);
    sender.pump();
    return seq;
  }

  /** Messages in the buffer not yet acknowledged by the platform. */
  public long pendingTelemetry() {
    return buffer.pending();
  }

  /** Calls {@code handler} for every command named {@code name}; replaces an earlier handler of the name. */
  public FlotillaDevice onCommand(String name, CommandHandler handler) {
    commands.register(name, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Calls {@code listener} with each new delta of the default twin (also the current one after connecting). */
  public FlotillaDevice onDesiredChanged(DesiredChangeListener listener) {
    return onDesiredChanged(DeviceTopics.DEFAULT_TWIN, listener);
  }

  /** Calls {@code listener} with each new delta of the named twin. */
  public FlotillaDevice onDesiredChanged(String twinName, DesiredChangeListener listener) {
    twins.onDesiredChanged(twinName, Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Calls {@code listener} with the whole default twin (desired, reported, delta, metadata) after every connect and
   * reconnect, read with {@code twin/get} once the subscriptions are in place: a device that was away learns its
   * state in full, not just what changed. A failed read is reported to the {@link DeviceListener} as refused.
   */
  public FlotillaDevice onTwin(Consumer<Twin> listener) {
    this.onTwin = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Reads the default twin; fails with {@link TwinRejectedException}, or when not connected or no answer comes. */
  public CompletableFuture<Twin> getTwin() {
    return getTwin(DeviceTopics.DEFAULT_TWIN);
  }

  /** Reads the named twin. */
  public CompletableFuture<Twin> getTwin(String twinName) {
    return twins.get(twinName);
  }

  /**
   * Merges {@code patch} (RFC 7386 JSON merge patch: {@code null} removes a property) into the default
   * twin's reported state; completes with the twin's new version.
   */
  public CompletableFuture<Long> reportTwin(ObjectNode patch) {
    return twins.report(DeviceTopics.DEFAULT_TWIN, patch, Optional.empty());
  }

  /** Like {@link #reportTwin(ObjectNode)}, refused as {@code stale-version} unless the twin is at {@code version}. */
  public CompletableFuture<Long> reportTwin(ObjectNode patch, long version) {
    return twins.report(DeviceTopics.DEFAULT_TWIN, patch, Optional.of(version));
  }

  /** Reports to a named twin. */
  public CompletableFuture<Long> reportTwin(String twinName, ObjectNode patch) {
    return twins.report(twinName, patch, Optional.empty());
  }

  private void connect() {
    reconnectScheduled.set(false);
    if (closed) {
      return;
    }
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setSessionExpiryInterval(0L);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval((int) settings.keepAlive.toSeconds());
    options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout.toSeconds()));
    options.setReceiveMaximum(Math.max(settings.window, 16));
    settings.token.ifPresent(t -> {
      options.setUserName(settings.deviceId);
      options.setPassword(t.getBytes(StandardCharsets.UTF_8));
    });
    settings.socketFactory.ifPresent(options::setSocketFactory);
    try {
      client.connect(options, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          subscribe();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          retry("connecting to " + settings.serverUri + " failed: " + describe(e));
        }
      });
    } catch (MqttException e) {
      retry("connecting to " + settings.serverUri + " failed: " + describe(e));
    }
  }

  private void subscribe() {
    String[] filters = topics.subscriptions();
    MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subscriptions[i] = new MqttSubscription(filters[i], 1);
    }
    try {
      client.subscribe(subscriptions, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          for (int i = 0; codes != null && i < codes.length && i < filters.length; i++) {
            if (codes[i] >= 0x80) {
              settings.listener.refused("the subscription " + filters[i], "reason 0x" + Integer.toHexString(codes[i]));
            }
          }
          connected = true;
          backoff.reset();
          LOG.log(System.Logger.Level.INFO, "Device " + settings.deviceId + " connected to " + settings.serverUri
              + "; " + buffer.pending() + " buffered telemetry messages to send.");
          settings.listener.connected();
          sender.connected(client);
          commands.connected();
          readTwinOnConnect();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          dropConnection("subscribing failed: " + describe(e));
        }
      }, (MqttProperties) null);
    } catch (MqttException e) {
      dropConnection("subscribing failed: " + describe(e));
    }
  }

  private void readTwinOnConnect() {
    Consumer<Twin> listener = onTwin;
    if (listener != null) {
      twins.get(DeviceTopics.DEFAULT_TWIN).whenComplete((twin, error) -> {
        if (error != null) {
          settings.listener.refused("reading the twin on connect", describe(error));
        } else {
          listener.accept(twin);
        }
      });
    }
  }

  /** Ends the current connection (if any) and reconnects after a backoff delay. */
  private void dropConnection(String reason) {
    sender.disconnected();
    connected = false;
    try {
      scheduler.execute(() -> {
        try {
          if (client.isConnected()) {
            client.disconnect(2000).waitForCompletion(3000);
          }
        } catch (MqttException e) {
          LOG.log(System.Logger.Level.DEBUG, "Disconnecting device " + settings.deviceId + ": " + describe(e));
        }
        retry(reason);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "Device " + settings.deviceId + " not reconnecting: its scheduler stopped.");
    }
  }

  private void retry(String reason) {
    connected = false;
    sender.disconnected();
    twins.connectionLost(reason);
    if (closed || !reconnectScheduled.compareAndSet(false, true)) {
      return;
    }
    long delay = backoff.next().toMillis();
    LOG.log(System.Logger.Level.INFO, "Device " + settings.deviceId + ": " + reason + "; retrying in " + delay + " ms.");
    settings.listener.disconnected(reason, delay);
    try {
      scheduler.schedule(() -> scheduler.execute(this::connect), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "Device " + settings.deviceId + " not reconnecting: its scheduler stopped.");
    }
  }

  private void publishQos1(String topic, byte[] payload) {
    if (!connected) {
      throw new IllegalStateException("device " + settings.deviceId + " is not connected");
    }
    try {
      client.publish(topic, new MqttMessage(payload, 1, false, null));
    } catch (MqttException e) {
      throw new IllegalStateException("cannot publish to " + topic + ": " + describe(e), e);
    }
  }

  private void respond(String topic, byte[] payload, Optional<byte[]> correlation, IntConsumer acknowledged) {
    MqttProperties properties = new MqttProperties();
    correlation.ifPresent(properties::setCorrelationData);
    try {
      client.publish(topic, new MqttMessage(payload, 1, false, properties), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          acknowledged.accept(codes == null || codes.length == 0 ? 0 : codes[0]);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          LOG.log(System.Logger.Level.INFO, "Device " + settings.deviceId + " could not answer on " + topic + ": "
              + describe(e) + "; the answer is sent again after reconnecting.");
        }
      });
    } catch (MqttException e) {
      LOG.log(System.Logger.Level.INFO, "Device " + settings.deviceId + " could not answer on " + topic + ": "
          + describe(e) + "; the answer is sent again after reconnecting.");
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof MqttException m && m.getReasonCode() > 0) {
      return m.getMessage() + " (reason 0x" + Integer.toHexString(m.getReasonCode()) + ")";
    }
    return String.valueOf(e.getMessage());
  }

  /** Disconnects, stops reconnecting, and closes the buffer (what it holds stays on disk). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connected = false;
    sender.disconnected();
    try {
      if (client.isConnected()) {
        client.disconnect(2000).waitForCompletion(3000);
      }
    } catch (MqttException e) {
      LOG.log(System.Logger.Level.DEBUG, "Closing device " + settings.deviceId + ": " + describe(e));
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.log(System.Logger.Level.DEBUG, "Closing device " + settings.deviceId + ": " + describe(e));
    }
    twins.connectionLost("the device was closed");
    buffer.close();
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      String reason = response.getReasonString() != null ? response.getReasonString()
          : response.getException() != null ? describe(response.getException())
          : "reason 0x" + Integer.toHexString(response.getReturnCode());
      retry("the connection closed: " + reason);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.log(System.Logger.Level.WARNING, "Device " + settings.deviceId + ": MQTT error " + describe(exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      MqttProperties p = message.getProperties();
      Optional<byte[]> correlation = Optional.ofNullable(p == null ? null : p.getCorrelationData());
      if (!commands.handle(topic, message.getPayload(), correlation)
          && !twins.handle(topic, message.getPayload())) {
        LOG.log(System.Logger.Level.DEBUG, "Device " + settings.deviceId + " ignored a message on " + topic + ".");
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  /** How a device connects, buffers and retries. */
  public static final class Builder {
    private final String serverUri;
    private final String deviceId;
    private Optional<String> token = Optional.empty();
    private Optional<SSLSocketFactory> socketFactory = Optional.empty();
    private Optional<TelemetryBuffer> buffer = Optional.empty();
    private long memoryBufferBytes = 4L * 1024 * 1024;
    private Optional<ScheduledExecutorService> scheduler = Optional.empty();
    private DeviceListener listener = new DeviceListener() {};
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration keepAlive = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int window = 16;

    private Builder(String serverUri, String deviceId) {
      if (!serverUri.matches("(tcp|ssl)://[^/]+:\\d+")) {
        throw new IllegalArgumentException("serverUri must be tcp://host:port or ssl://host:port, was '" + serverUri
            + "'");
      }
      if (!deviceId.matches("[A-Za-z0-9._:-]{1,128}")) {
        throw new IllegalArgumentException("deviceId must be 1 to 128 of letters, digits, '.', '_', ':' and '-', was '"
            + deviceId + "'");
      }
      this.serverUri = serverUri;
      this.deviceId = deviceId;
    }

    /** Logs in with a device token ({@code fdt_…}); the user name is the device id. */
    public Builder token(String deviceToken) {
      if (deviceToken.isBlank()) {
        throw new IllegalArgumentException("the device token must not be blank");
      }
      this.token = Optional.of(deviceToken);
      return this;
    }

    /**
     * Connects over TLS with this socket factory: with a client certificate for certificate login (see
     * {@link DeviceTls}), trusting the server's CA. Use an {@code ssl://} server URI.
     */
    public Builder tls(SSLSocketFactory factory) {
      this.socketFactory = Optional.of(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Keeps telemetry in a {@link DiskBuffer} in {@code dir} of at most {@code maxBytes}, fsync on every append. */
    public Builder diskBuffer(Path dir, long maxBytes) {
      return buffer(DiskBuffer.open(dir, maxBytes));
    }

    /** Keeps telemetry in memory only, at most {@code maxBytes} (the default: 4 MiB in memory). */
    public Builder memoryBuffer(long maxBytes) {
      this.memoryBufferBytes = maxBytes;
      this.buffer = Optional.of(new MemoryBuffer(maxBytes));
      return this;
    }

    /** Uses this buffer; the device closes it on {@link FlotillaDevice#close}. */
    public Builder buffer(TelemetryBuffer telemetryBuffer) {
      this.buffer = Optional.of(telemetryBuffer);
      return this;
    }

    /**
     * Shares a scheduler between many devices (a simulator, a gateway): make it with {@link
     * DeviceScheduler#create}; the devices never shut it down.
     */
    public Builder scheduler(ScheduledExecutorService shared) {
      this.scheduler = Optional.of(shared);
      return this;
    }

    /** Hears connection and telemetry events (see {@link DeviceListener}). */
    public Builder listener(DeviceListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Reconnection delays: the first at most {@code initial}, doubling up to {@code max}, jittered. */
    public Builder backoff(Duration initial, Duration max) {
      new Backoff(initial, max);
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The MQTT keep-alive interval (default 30 s). */
    public Builder keepAlive(Duration value) {
      this.keepAlive = value;
      return this;
    }

    /** How long a twin request waits for the platform's answer (default 10 s). */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = value;
      return this;
    }

    /** Telemetry messages in flight (sent, PUBACK not yet received) at most; default 16. */
    public Builder window(int messages) {
      if (messages < 1 || messages > 1000) {
        throw new IllegalArgumentException("window must be 1 to 1000 messages, was " + messages);
      }
      this.window = messages;
      return this;
    }

    /** The device, not yet connected: register handlers, then {@link FlotillaDevice#start}. */
    public FlotillaDevice build() {
      return new FlotillaDevice(this);
    }
  }
}
