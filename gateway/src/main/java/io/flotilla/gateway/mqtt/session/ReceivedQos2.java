package io.flotilla.gateway.mqtt.session;

import java.util.HashSet;

/**
 * The packet ids of QoS 2 messages a client sent that were delivered onward and not yet released by
 * PUBREL; part of the session, so a PUBLISH re-sent after a reconnect is not delivered twice. Guards
 * itself: during a take-over the old and the new connection may both touch it for a moment.
 */
public final class ReceivedQos2 {

  private HashSet<Integer> ids;

  /** True when a QoS 2 PUBLISH with this id was received and not yet released. */
  public synchronized boolean contains(int packetId) {
    return ids != null && ids.contains(packetId);
  }

  public synchronized void add(int packetId) {
    if (ids == null) {
      ids = new HashSet<>(4);
    }
    ids.add(packetId);
  }

  /** PUBREL: forgets the id; false when it was not awaiting release. */
  public synchronized boolean release(int packetId) {
    return ids != null && ids.remove(packetId);
  }

  public synchronized int size() {
    return ids == null ? 0 : ids.size();
  }
}
