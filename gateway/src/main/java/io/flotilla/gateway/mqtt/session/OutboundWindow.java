package io.flotilla.gateway.mqtt.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * A session's outbound QoS 1 and 2 messages: those sent and not yet acknowledged (in packet-id order of
 * sending, for redelivery) and those waiting for a free slot or for the client to come back. Not
 * thread-safe: the owning {@link Session} guards it.
 */
final class OutboundWindow {

  /** A sent message; {@code released} once PUBREC came and PUBREL went out (QoS 2, second half). */
  static final class InFlight {
    final Delivery delivery;
    boolean released;

    InFlight(Delivery delivery) {
      this.delivery = delivery;
    }
  }

  private final LinkedHashMap<Integer, InFlight> inFlight = new LinkedHashMap<>();
  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
  private int lastPacketId;

  int inFlightCount() {
    return inFlight.size();
  }

  int waitingCount() {
    return waiting.size();
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /** A packet identifier not in use by any in-flight message (MQTT-2.2.1-3). */
  int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
    } while (inFlight.containsKey(lastPacketId));
    return lastPacketId;
  }

  void sent(int packetId, Delivery delivery) {
    inFlight.put(packetId, new InFlight(delivery));
  }

  InFlight get(int packetId) {
    return inFlight.get(packetId);
  }

  InFlight remove(int packetId) {
    return inFlight.remove(packetId);
  }

  Iterator<java.util.Map.Entry<Integer, InFlight>> inFlightEntries() {
    return inFlight.entrySet().iterator();
  }

  void addWaiting(Delivery delivery) {
    waiting.addLast(delivery);
  }

  Delivery pollWaiting() {
    return waiting.pollFirst();
  }

  Iterable<Delivery> waiting() {
    return waiting;
  }

  /** What the client has not got for sure: unacknowledged PUBLISHes (not released ones), then the queue. */
  java.util.List<io.flotilla.core.broker.BrokerMessage> undelivered() {
    java.util.List<io.flotilla.core.broker.BrokerMessage> messages = new java.util.ArrayList<>();
    for (InFlight f : inFlight.values()) {
      if (!f.released) {
        messages.add(f.delivery.forStore());
      }
    }
    waiting.forEach(d -> messages.add(d.forStore()));
    return messages;
  }

  void clear() {
    inFlight.clear();
    waiting.clear();
  }
}
