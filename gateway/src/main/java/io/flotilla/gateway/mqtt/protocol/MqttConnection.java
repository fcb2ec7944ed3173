package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.gateway.mqtt.DisconnectReason;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import java.util.Optional;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import io.flotilla.gateway.mqtt.session.ClientLink;
import io.flotilla.gateway.mqtt.session.Delivery;
import io.flotilla.gateway.mqtt.session.Session;
import io.flotilla.gateway.mqtt.session.Throttle;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: receives decoded packets on the channel's event loop, enforces that CONNECT
 * comes first and only once, dispatches the rest to the flows, and is the {@link ClientLink} its session
 * sends through. Per-connection state is kept to a few fields; buffers are created only when needed.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter implements ClientLink, Throttle {

  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

  enum Phase { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

  final BrokerServices services;
  final CertificateSource certificates;
  ChannelHandlerContext ctx;
  Phase phase = Phase.AWAIT_CONNECT;
  ProtocolVersion version = ProtocolVersion.MQTT_3_1_1;
  ClientIdentity identity;
  Session session;
  String clientId = "";
  /** The largest packet the client accepts (MQTT 5 maximum packet size). */
  long clientMaxPacketSize = Integer.MAX_VALUE;
  int sendWindow;
  boolean problemInformation = true;
  boolean sessionExpiryWasZero;
  String[] topicAliases;
  WillMessage will;
  long connectedAtMillis;
  private ScheduledFuture<?> connectTimeout;
  private ArrayDeque<Object> held;
  private boolean flushScheduled;
  private final AtomicInteger writesQueuedFromElsewhere = new AtomicInteger();
  private boolean opened;
  private boolean closing;
  private DisconnectReason closeReason;
  private final Runnable flushTask = this::flushNow;
  /** How many sessions currently hold this publisher back; reading stops while it is above 0. */
  private int throttles;
  private ScheduledFuture<?> throttleLimit;
  /** The PUBLISH rate limits of this connection; null until it first publishes. */
  PublishRateLimiter rateLimiter;
  /** Set while reading is stopped because this client published faster than its rate limits. */
  private ScheduledFuture<?> ratePause;
  private long ratePauseEndsNanos;
  private boolean rateThrottled;
  /** Whether this connection counts towards its tenant's connection limit. */
  boolean holdsTenantSlot;
  /**
   * Acknowledgements in the order their PUBLISHes came (MQTT 4.6), while some wait for an intercepted
   * message's verdict; null while none waits, which is almost always.
   */
  private ArrayDeque<PendingAck> acks;
  /** Set while reading is stopped because the consumer of intercepted messages is backed up. */
  private boolean consumerPaused;

  /** Acknowledgements waiting at most before reading stops until some are sent. */
  static final int ACK_WINDOW = 1_000;

  /** An acknowledgement's place in line; its packet is set once it may be sent. */
  static final class PendingAck {
    private Object packet;
  }

  public MqttConnection(BrokerServices services, CertificateSource certificates) {
    this.services = services;
    this.certificates = certificates;
  }

  boolean isV5() {
    return version == ProtocolVersion.MQTT_5;
  }

  // ---- channel events -------------------------------------------------------------------------------

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    if (context.channel().isActive()) {
      opened();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    opened();
    context.fireChannelActive();
  }

  private void opened() {
    if (opened) {
      return;
    }
    opened = true;
    services.metrics.connectionOpened();
    long timeout = services.config.connectTimeout().toMillis();
    connectTimeout = ctx.executor().schedule(() -> {
      if (phase == Phase.AWAIT_CONNECT || phase == Phase.AUTHENTICATING) {
        LOG.debug("Closing connection from {}: no CONNECT accepted within {} ms.", remoteAddress(), timeout);
        services.metrics.connect("timeout");
        ctx.close();
      }
    }, timeout, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (phase == Phase.AUTHENTICATING || throttles > 0 || (held != null && !held.isEmpty())) {
      // Packets behind a CONNECT being authenticated, or arriving while this publisher is held back,
      // wait their turn; they are few, since reading stops at the same time.
      if (held == null) {
        held = new ArrayDeque<>(4);
      }
      held.add(msg);
      return;
    }
    handleAndRelease(msg);
  }

  private void handleAndRelease(Object msg) {
    try {
      handle((MqttMessage) msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void handle(MqttMessage msg) {
    if (phase == Phase.CLOSED || closing) {
      return; // the connection is going away; what it still sent no longer counts
    }
    if (msg.decoderResult().isFailure()) {
      DecoderFailures.handle(this, msg);
      return;
    }
    if (phase == Phase.AWAIT_CONNECT) {
      if (msg instanceof MqttConnectMessage connect) {
        services.connectFlow.onConnect(this, connect);
      } else {
        // MQTT-3.1.0-1: the first packet must be CONNECT.
        LOG.debug("Closing connection from {}: first packet was {}, not CONNECT.", remoteAddress(),
            msg.fixedHeader().messageType());
        close(DisconnectReason.PROTOCOL_ERROR);
      }
      return;
    }
    switch (msg.fixedHeader().messageType()) {
      case PUBLISH -> services.inboundFlow.onPublish(this, (io.netty.handler.codec.mqtt.MqttPublishMessage) msg);
      case PUBACK -> session.onPubAck(InboundFlow.packetId(msg));
      case PUBREC -> session.onPubRec(InboundFlow.packetId(msg), InboundFlow.reasonCode(msg));
      case PUBREL -> services.inboundFlow.onPubRel(this, InboundFlow.packetId(msg));
      case PUBCOMP -> session.onPubComp(InboundFlow.packetId(msg));
      case SUBSCRIBE -> services.subscribeFlow.onSubscribe(this, (io.netty.handler.codec.mqtt.MqttSubscribeMessage) msg);
      case UNSUBSCRIBE ->
          services.subscribeFlow.onUnsubscribe(this, (io.netty.handler.codec.mqtt.MqttUnsubscribeMessage) msg);
      case PINGREQ -> send(MqttMessage.PINGRESP);
      case DISCONNECT -> services.connectFlow.onDisconnect(this, msg);
      case CONNECT -> protocolError("a second CONNECT"); // MQTT-3.1.0-2
      default -> protocolError("a " + msg.fixedHeader().messageType() + " packet, which clients do not send");
    }
  }

  /** Authentication finished, or a pause ended: handle what arrived meanwhile, then read again. */
  void resumeReading() {
    while (held != null && !held.isEmpty() && throttles == 0 && phase == Phase.CONNECTED) {
      handleAndRelease(held.poll());
    }
    if (held != null && held.isEmpty()) {
      held = null; // idle connections keep no buffers
    }
    updateReading();
  }

  void cancelConnectTimeout() {
    if (connectTimeout != null) {
      connectTimeout.cancel(false);
      connectTimeout = null;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof IdleStateEvent && phase == Phase.CONNECTED && ratePause == null) {
      // (A client held back by its rate limit is not read from: it is not idle.)
      // MQTT-3.1.2-24: nothing within 1.5 times the keep-alive.
      LOG.debug("Closing connection of {}: keep-alive expired.", describe());
      closeWith(DisconnectReason.KEEP_ALIVE_TIMEOUT, ReasonCodes.KEEP_ALIVE_TIMEOUT, null);
      return;
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    // A client that does not read its acknowledgements stops being read from (back-pressure).
    updateReading();
    context.fireChannelWritabilityChanged();
  }

  private void updateReading() {
    if (phase == Phase.CONNECTED) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable() && throttles == 0 && ratePause == null
          && !consumerPaused && (acks == null || acks.size() < ACK_WINDOW));
    }
  }

  @Override
  public void pause() {
    if (throttles++ == 0) {
      updateReading();
      // A bound on the pause: two clients feeding each other's slow subscriptions must not wait forever.
      throttleLimit = ctx.executor().schedule(this::endThrottling, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public void resume() {
    ctx.executor().execute(() -> {
      if (throttles > 0 && --throttles == 0) {
        endThrottling();
      }
    });
  }

  /**
   * This client published faster than its rate limits: stop reading for {@code nanos} (what was already
   * read is still handled). Extends a pause already running when the new one ends later.
   */
  void pauseReadingFor(long nanos) {
    long endsNanos = System.nanoTime() + nanos;
    if (ratePause != null) {
      if (endsNanos - ratePauseEndsNanos <= 0) {
        return;
      }
      ratePause.cancel(false);
    }
    if (!rateThrottled) {
      rateThrottled = true;
      services.metrics.throttled();
      LOG.debug("Slowing down {}: it publishes faster than its rate limit.", describe());
    }
    ratePauseEndsNanos = endsNanos;
    ratePause = ctx.executor().schedule(this::endRatePause, nanos, TimeUnit.NANOSECONDS);
    updateReading();
  }

  private void endRatePause() {
    ratePause = null;
    resumeReading();
  }

  private void endThrottling() {
    throttles = 0;
    if (throttleLimit != null) {
      throttleLimit.cancel(false);
      throttleLimit = null;
    }
    resumeReading();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("Closing connection of {} after an error: {}", describe(), cause.toString());
    close(DisconnectReason.CONNECTION_LOST);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    Phase was = phase;
    phase = Phase.CLOSED;
    cancelConnectTimeout();
    if (ratePause != null) {
      ratePause.cancel(false);
      ratePause = null;
    }
    if (holdsTenantSlot) {
      holdsTenantSlot = false;
      services.tenantConnections.release(identity.tenant());
    }
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
    if (opened) {
      services.metrics.connectionClosed();
    }
    if (was == Phase.CONNECTED) {
      services.connectFlow.onConnectionLost(this, closeReason == null ? DisconnectReason.CONNECTION_LOST : closeReason);
    }
    context.fireChannelInactive();
  }

  // ---- closing --------------------------------------------------------------------------------------

  void close(DisconnectReason reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    closing = true;
    ctx.close();
  }

  /** Closes, first sending DISCONNECT with {@code v5Code} to an accepted MQTT 5 client. */
  void closeWith(DisconnectReason reason, int v5Code, String reasonString) {
    if (closeReason == null) {
      closeReason = reason;
    }
    if (phase == Phase.CONNECTED && isV5() && ctx.channel().isActive()) {
      closing = true;
      ctx.writeAndFlush(Packets.disconnect(v5Code, reasonString(reasonString, true)))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      closing = true;
      ctx.close();
    }
  }

  /** Sends one last packet (a refusing CONNACK), then closes. */
  void sendThenClose(Object packet, DisconnectReason reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    closing = true;
    ctx.writeAndFlush(packet).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * A reason string for a packet to this client, or none: when the client asked for no problem
   * information (unless {@code always}, for CONNACK and DISCONNECT) or when it could exceed the client's
   * maximum packet size (MQTT-3.2.2-19).
   */
  io.netty.handler.codec.mqtt.MqttProperties reasonString(String reason, boolean always) {
    boolean fits = reason != null && io.netty.buffer.ByteBufUtil.utf8Bytes(reason) + 16 <= clientMaxPacketSize;
    return Packets.reasonString(reason, fits && (always || problemInformation));
  }

  void protocolError(String what) {
    LOG.debug("Closing connection of {}: protocol error, {}.", describe(), what);
    closeWith(DisconnectReason.PROTOCOL_ERROR, ReasonCodes.PROTOCOL_ERROR, "Protocol error: " + what);
  }

  // ---- acknowledgements in order ----------------------------------------------------------------------

  /** Sends an acknowledgement now, or behind those still waiting for a verdict. */
  void sendAck(Object packet) {
    if (acks == null) {
      send(packet);
    } else {
      PendingAck ack = new PendingAck();
      ack.packet = packet;
      acks.add(ack);
    }
  }

  /** Takes a place in line for an acknowledgement decided later; on the event loop. */
  PendingAck reserveAck() {
    if (acks == null) {
      acks = new ArrayDeque<>(8);
    }
    PendingAck ack = new PendingAck();
    acks.add(ack);
    if (acks.size() == ACK_WINDOW) {
      updateReading();
    }
    return ack;
  }

  /** Fills a reserved place and sends every acknowledgement now free to go; on the event loop. */
  void completeAck(PendingAck ack, Object packet) {
    ack.packet = packet;
    boolean wasFull = acks.size() >= ACK_WINDOW;
    while (!acks.isEmpty() && acks.peek().packet != null) {
      send(acks.poll().packet);
    }
    if (acks.isEmpty()) {
      acks = null;
    }
    if (wasFull) {
      updateReading();
    }
  }

  /** The consumer of intercepted messages is backed up: stop reading until it says it has room. */
  void pauseForConsumer(io.flotilla.gateway.mqtt.PublishInterceptor consumer) {
    if (consumerPaused) {
      return;
    }
    consumerPaused = true;
    services.metrics.throttled();
    updateReading();
    consumer.whenUnsaturated(() -> ctx.executor().execute(() -> {
      consumerPaused = false;
      updateReading();
    }));
  }

  boolean isOpen() {
    return phase == Phase.CONNECTED && !closing;
  }

  // ---- sending --------------------------------------------------------------------------------------

  /** Writes a packet from any thread; flushes once per batch of writes on the event loop. */
  /**
   * Writes {@code packet} in the order callers sent it. A write from another thread becomes a task of this channel's
   * event loop, while one from the loop itself would go out at once, overtaking the tasks still queued: a session
   * delivering from a publisher's loop and then pumping its queue on its subscriber's PUBACK reordered QoS 1
   * messages that way. So while such tasks are pending, the loop queues its own writes behind them.
   */
  void send(Object packet) {
    if (ctx.executor().inEventLoop() && writesQueuedFromElsewhere.get() == 0) {
      write(packet);
    } else {
      writesQueuedFromElsewhere.incrementAndGet();
      ctx.executor().execute(() -> {
        writesQueuedFromElsewhere.decrementAndGet();
        write(packet);
      });
    }
  }

  private void write(Object packet) {
    ctx.write(packet, ctx.voidPromise());
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(flushTask);
    }
  }

  private void flushNow() {
    flushScheduled = false;
    ctx.flush();
  }

  @Override
  public Object publishPacket(Delivery delivery, int packetId, boolean dup, long nowMillis) {
    return PublishPackets.build(delivery, packetId, dup, isV5(), clientMaxPacketSize, nowMillis);
  }

  @Override
  public void sendPublish(Object packet, int qos) {
    services.metrics.messageOut(qos);
    send(packet);
  }

  @Override
  public void sendPubRel(int packetId, int reasonCode) {
    send(Packets.pubRel(packetId, isV5() ? reasonCode : 0));
  }

  @Override
  public int sendWindow() {
    return sendWindow;
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public void takenOver() {
    ctx.executor().execute(() -> {
      LOG.info("Session of {} was taken over by a new connection; closing the old one.", describe());
      closeWith(DisconnectReason.TAKEN_OVER, ReasonCodes.SESSION_TAKEN_OVER, null);
    });
  }

  @Override
  public Optional<ClientIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  @Override
  public void disconnectByAdministrator() {
    ctx.executor().execute(() -> closeWith(DisconnectReason.ADMINISTRATIVE, ReasonCodes.ADMINISTRATIVE_ACTION, null));
  }

  @Override
  public void disconnectForShutdown() {
    ctx.executor().execute(() -> closeWith(DisconnectReason.SERVER_SHUTDOWN, ReasonCodes.SERVER_SHUTTING_DOWN, null));
  }

  @Override
  public ProtocolVersion protocolVersion() {
    return version;
  }

  @Override
  public long connectedAtMillis() {
    return connectedAtMillis;
  }

  @Override
  public SocketAddress remoteAddress() {
    return ClientAddress.of(ctx.channel());
  }

  @Override
  public String describe() {
    String tenant = identity == null ? "?" : identity.tenant();
    return "client " + tenant + "/" + clientId + " at " + (ctx == null ? "?" : ClientAddress.of(ctx.channel()));
  }
}
