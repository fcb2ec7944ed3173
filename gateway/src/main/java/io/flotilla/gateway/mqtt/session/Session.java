package io.flotilla.gateway.mqtt.session;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.gateway.mqtt.topic.TenantSpace;
import io.flotilla.gateway.mqtt.topic.TopicFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * The state of one MQTT session, kept across its client's connections: subscriptions, the outbound
 * QoS 1/2 window and queue, the QoS 2 packet ids received and not yet released, expiry and a delayed
 * will. Every method synchronizes on the session, so publishers on any event loop may deliver to it;
 * it never calls into another session while holding its monitor.
 */
public final class Session {

  /** The session expiry interval meaning "never expires" (MQTT 5 {@code 0xFFFFFFFF}, 3.1.1 persistent). */
  public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

  private final SessionKey key;
  private final TenantSpace<Session> space;
  private final SessionRegistry registry;
  private volatile ClientLink link;
  private long expiryInterval;
  private long disconnectedAtMillis;
  private boolean ended;
  /** True while the store holds a queue for this session that memory also holds. */
  private boolean queueInStore;
  private Map<String, SubscriptionState> subscriptions;
  private OutboundWindow window;
  private final ReceivedQos2 receivedQos2 = new ReceivedQos2();
  private ScheduledFuture<?> expiryTask;
  private ScheduledFuture<?> willTask;
  private Runnable willAction;
  /** Publishers paused because this session's queue is long; resumed once it drains. */
  private final PausedPublishers paused = new PausedPublishers();

  Session(SessionKey key, TenantSpace<Session> space, SessionRegistry registry, long expiryInterval) {
    this.key = key;
    this.space = space;
    this.registry = registry;
    this.expiryInterval = expiryInterval;
  }

  public SessionKey key() {
    return key;
  }

  public String clientId() {
    return key.clientId();
  }

  public boolean isOnline() {
    return link != null;
  }

  ClientLink link() {
    return link;
  }

  /** The connection currently holding the session, if its client is connected. */
  public Optional<ClientLink> client() {
    return Optional.ofNullable(link);
  }

  /** The client's QoS 2 messages received and not yet released. */
  public ReceivedQos2 receivedQos2() {
    return receivedQos2;
  }

  public synchronized long expiryInterval() {
    return expiryInterval;
  }

  public synchronized void expiryInterval(long seconds) {
    expiryInterval = seconds;
  }

  public synchronized boolean isEnded() {
    return ended;
  }

  synchronized long disconnectedAtMillis() {
    return disconnectedAtMillis;
  }

  // ---- delivery -------------------------------------------------------------------------------------

  /** Delivers (or queues) one message; drops it, counting why, when it cannot be kept. */
  public void deliver(Delivery d) {
    deliver(d, null);
  }

  /**
   * Delivers (or queues) one message for {@code publisher} (nullable); when the message has to wait
   * behind half the queue bound while the client is online, the publisher is paused until it drains.
   */
  public synchronized void deliver(Delivery d, Throttle publisher) {
    if (ended) {
      return;
    }
    ClientLink l = link;
    if (l == null) {
      if (d.qos() == 0) {
        registry.metrics().dropped("offline_qos0");
      } else {
        queue(d, true);
      }
      return;
    }
    long now = System.currentTimeMillis();
    if (d.qos() == 0) {
      if (!l.isWritable()) {
        registry.metrics().dropped("slow_consumer");
        return;
      }
      Object packet = l.publishPacket(d, 0, false, now);
      if (packet == null) {
        registry.metrics().dropped("too_large");
      } else {
        l.sendPublish(packet, 0);
      }
      return;
    }
    OutboundWindow w = window();
    if (w.hasWaiting() || w.inFlightCount() >= l.sendWindow()) {
      queue(d, false);
      if (publisher != null && publisher != l && w.waitingCount() >= highWater()) {
        paused.pause(publisher);
      }
    } else {
      sendNew(l, w, d, now);
    }
  }

  private void queue(Delivery d, boolean offline) {
    OutboundWindow w = window();
    if (w.waitingCount() >= registry.config().maxQueuedPerSession()) {
      registry.metrics().dropped("queue_full");
      return;
    }
    w.addWaiting(d);
    registry.metrics().queuedChanged(1);
    if (offline && isPersistent()) {
      queueInStore = true;
      BrokerMessage stored = d.forStore();
      registry.writer().submit("queue a message for " + key, s -> s.enqueue(key.tenant(), key.clientId(), stored,
          Integer.MAX_VALUE));
    }
  }

  private int highWater() {
    return Math.max(1, registry.config().maxQueuedPerSession() / 2);
  }

  private void sendNew(ClientLink l, OutboundWindow w, Delivery d, long now) {
    if (expired(d, now)) {
      registry.metrics().dropped("expired");
      return;
    }
    int packetId = w.nextPacketId();
    Object packet = l.publishPacket(d, packetId, false, now);
    if (packet == null) {
      registry.metrics().dropped("too_large");
      return;
    }
    w.sent(packetId, d);
    l.sendPublish(packet, d.qos());
  }

  private void pump(ClientLink l) {
    OutboundWindow w = window;
    if (w == null || l == null) {
      return;
    }
    long now = System.currentTimeMillis();
    while (w.hasWaiting() && w.inFlightCount() < l.sendWindow()) {
      Delivery d = w.pollWaiting();
      registry.metrics().queuedChanged(-1);
      sendNew(l, w, d, now);
    }
    if (paused.any() && w.waitingCount() <= highWater() / 2) {
      paused.resumeAll();
    }
  }

  static boolean expired(Delivery d, long nowMillis) {
    return d.message().expiresAt().isPresent() && d.message().expiresAt().get().toEpochMilli() <= nowMillis;
  }

  /** PUBACK: the QoS 1 message with this id is done. */
  public synchronized void onPubAck(int packetId) {
    OutboundWindow w = window;
    OutboundWindow.InFlight f = w == null ? null : w.get(packetId);
    if (f != null && f.delivery.qos() == 1) {
      w.remove(packetId);
      acknowledged(f.delivery);
      pump(link);
    }
  }

  /** PUBREC: answer with PUBREL (reason 0x92 when the id is unknown), or end the flow on an error code. */
  public synchronized void onPubRec(int packetId, int reasonCode) {
    ClientLink l = link;
    OutboundWindow w = window;
    OutboundWindow.InFlight f = w == null ? null : w.get(packetId);
    if (f == null || f.delivery.qos() != 2) {
      if (l != null) {
        l.sendPubRel(packetId, 0x92);
      }
      return;
    }
    if (reasonCode >= 0x80) {
      w.remove(packetId);
      pump(l);
      return;
    }
    f.released = true;
    if (l != null) {
      l.sendPubRel(packetId, 0);
    }
  }

  /** PUBCOMP: the QoS 2 message with this id is done. */
  public synchronized void onPubComp(int packetId) {
    OutboundWindow w = window;
    OutboundWindow.InFlight f = w == null ? null : w.get(packetId);
    if (f != null && f.released) {
      w.remove(packetId);
      acknowledged(f.delivery);
      pump(link);
    }
  }

  private void acknowledged(Delivery d) {
    if (d.acknowledged() != Delivery.NO_ACK) {
      d.acknowledged().accept(key.clientId());
    }
  }

  // ---- subscriptions --------------------------------------------------------------------------------

  /** Adds or replaces a subscription; true when one with the same filter existed already. */
  public synchronized boolean subscribe(TopicFilter filter, SubscriptionState subscription) {
    if (ended) {
      return false;
    }
    if (subscriptions == null) {
      subscriptions = new HashMap<>(4);
    }
    boolean existed = subscriptions.put(filter.raw(), subscription) != null;
    space.subscriptions().subscribe(filter, this, subscription);
    persist();
    return existed;
  }

  /** Removes a subscription; false when there was none with this filter. */
  public synchronized boolean unsubscribe(TopicFilter filter) {
    if (ended || subscriptions == null || subscriptions.remove(filter.raw()) == null) {
      return false;
    }
    space.subscriptions().unsubscribe(filter, this);
    persist();
    return true;
  }

  public synchronized int subscriptionCount() {
    return subscriptions == null ? 0 : subscriptions.size();
  }

  public synchronized int queuedCount() {
    return window == null ? 0 : window.waitingCount();
  }

  public synchronized int inFlightCount() {
    return window == null ? 0 : window.inFlightCount();
  }

  // ---- life cycle (driven by SessionRegistry) -------------------------------------------------------

  /** What {@link #attach} found: false when the session had ended meanwhile; the connection it replaced. */
  record Attached(boolean ok, ClientLink previous) {
  }

  /** Binds the session to a new connection; a will still waiting for its delay is not sent. */
  synchronized Attached attach(ClientLink newLink, long newExpiryInterval) {
    if (ended) {
      return new Attached(false, null);
    }
    ClientLink previous = link;
    cancel(expiryTask);
    expiryTask = null;
    cancel(willTask);
    willTask = null;
    willAction = null;
    link = newLink;
    expiryInterval = newExpiryInterval;
    disconnectedAtMillis = 0;
    persist();
    return new Attached(true, previous);
  }

  /** Detaches the connection, if it is still the session's; false when another took the session over. */
  synchronized boolean detach(ClientLink oldLink, long nowMillis) {
    if (link != oldLink || oldLink == null) {
      return false;
    }
    link = null;
    disconnectedAtMillis = nowMillis;
    paused.resumeAll(); // an offline session queues up to its bound and drops beyond it; nobody waits for it
    if (isPersistent() && !ended) {
      persistUndelivered();
      persist();
    }
    return true;
  }

  /**
   * After CONNACK on a resumed session: resends unacknowledged PUBLISH packets with DUP set and PUBREL
   * for released ones, in their original order and ids (MQTT-4.4.0-1), then sends what is queued.
   */
  public synchronized void resume() {
    ClientLink l = link;
    OutboundWindow w = window;
    if (l == null) {
      return;
    }
    if (queueInStore) {
      queueInStore = false;
      registry.writer().submit("clear the stored queue of " + key, s -> s.clearQueue(key.tenant(), key.clientId()));
    }
    if (w == null) {
      return;
    }
    long now = System.currentTimeMillis();
    Iterator<Map.Entry<Integer, OutboundWindow.InFlight>> it = w.inFlightEntries();
    while (it.hasNext()) {
      Map.Entry<Integer, OutboundWindow.InFlight> e = it.next();
      if (e.getValue().released) {
        l.sendPubRel(e.getKey(), 0);
        continue;
      }
      Object packet = l.publishPacket(e.getValue().delivery, e.getKey(), true, now);
      if (packet == null) {
        it.remove();
        registry.metrics().dropped("too_large");
      } else {
        l.sendPublish(packet, e.getValue().delivery.qos());
      }
    }
    pump(l);
  }

  /** Returned by {@link #end} when the session ended without a will waiting. */
  static final Runnable NO_WILL = () -> { };

  /**
   * Ends the session for good, unless {@code onlyIfOffline} and a client is connected, or it ended
   * already (then null). Returns the will still waiting for its delay, to publish now, or {@link #NO_WILL}.
   */
  synchronized Runnable end(boolean onlyIfOffline) {
    if (ended || (onlyIfOffline && link != null)) {
      return null;
    }
    ended = true;
    link = null;
    paused.resumeAll();
    cancel(expiryTask);
    cancel(willTask);
    Runnable will = willAction;
    willAction = null;
    if (subscriptions != null) {
      subscriptions.forEach((raw, sub) -> TopicFilter.parse(raw).ifPresent(f -> space.subscriptions().unsubscribe(f, this)));
      subscriptions = null;
    }
    if (window != null) {
      registry.metrics().queuedChanged(-window.waitingCount());
      window.clear();
    }
    return will == null ? NO_WILL : will;
  }

  synchronized void expireAfter(long millis) {
    cancel(expiryTask);
    expiryTask = registry.schedule(() -> registry.expire(this), millis);
  }

  /** Publishes the will after {@code delayMillis} unless the client comes back first (MQTT 5 will delay). */
  public synchronized void scheduleWill(Runnable publish, long delayMillis) {
    if (ended) {
      return;
    }
    willAction = publish;
    willTask = registry.schedule(this::fireWill, delayMillis);
  }

  private void fireWill() {
    Runnable action;
    synchronized (this) {
      action = willAction;
      willAction = null;
      willTask = null;
    }
    if (action != null) {
      action.run();
    }
  }

  // ---- persistence ----------------------------------------------------------------------------------

  public synchronized boolean isPersistent() {
    return expiryInterval > 0;
  }

  synchronized SessionState state() {
    List<SubscriptionState> subs = subscriptions == null ? List.of() : new ArrayList<>(subscriptions.values());
    return new SessionState(key.tenant(), key.clientId(), expiryInterval, disconnectedAtMillis, subs);
  }

  private void persist() {
    if (isPersistent() && !ended) {
      SessionState state = state();
      registry.writer().submit("save session " + key, s -> s.saveSession(state));
    }
  }

  /** While offline the stored queue mirrors memory: unacknowledged messages first, then the queue. */
  private void persistUndelivered() {
    List<BrokerMessage> undelivered = window == null ? List.of() : window.undelivered();
    if (undelivered.isEmpty()) {
      return;
    }
    queueInStore = true;
    registry.writer().submit("queue undelivered messages of " + key, s -> undelivered.forEach(
        m -> s.enqueue(key.tenant(), key.clientId(), m, Integer.MAX_VALUE)));
  }

  /** Rebuilds a stored session at start: its subscriptions and queue, offline. */
  synchronized void restore(SessionState state, List<BrokerMessage> queued) {
    // 0 means it was connected when the broker stopped: count its absence from now.
    disconnectedAtMillis = state.disconnectedAtMillis() == 0 ? System.currentTimeMillis() : state.disconnectedAtMillis();
    for (SubscriptionState sub : state.subscriptions()) {
      TopicFilter.parse(sub.topicFilter()).ifPresent(f -> {
        if (subscriptions == null) {
          subscriptions = new HashMap<>(4);
        }
        subscriptions.put(f.raw(), sub);
        space.subscriptions().subscribe(f, this, sub);
      });
    }
    for (BrokerMessage m : queued) {
      window().addWaiting(Delivery.restored(m));
      registry.metrics().queuedChanged(1);
    }
    queueInStore = !queued.isEmpty();
  }

  private OutboundWindow window() {
    if (window == null) {
      window = new OutboundWindow();
    }
    return window;
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "Session[" + key + "]";
  }
}
