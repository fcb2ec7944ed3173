package io.flotilla.gateway.mqtt.session;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.gateway.mqtt.BrokerConfig;
import io.flotilla.gateway.mqtt.BrokerMetrics;
import io.flotilla.gateway.mqtt.store.StateWriter;
import io.flotilla.gateway.mqtt.topic.TenantSpace;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every session of every tenant, keyed by (tenant, client id), and the tenants' topic spaces. Opening a
 * session takes it over from a connection that still holds it; closing a connection ends a clean session
 * or starts the expiry clock of a persistent one.
 */
public final class SessionRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  /** The session a connection got, and whether it existed before (CONNACK "session present"). */
  public record Opened(Session session, boolean present) {
  }

  private final ConcurrentHashMap<SessionKey, Session> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, TenantSpace<Session>> spaces = new ConcurrentHashMap<>();
  private final BrokerConfig config;
  private final BrokerMetrics metrics;
  private final StateWriter writer;
  private final ScheduledExecutorService scheduler;

  public SessionRegistry(BrokerConfig config, BrokerMetrics metrics, StateWriter writer,
      ScheduledExecutorService scheduler) {
    this.config = config;
    this.metrics = metrics;
    this.writer = writer;
    this.scheduler = scheduler;
    metrics.sessionsGauge(sessions::size);
  }

  BrokerConfig config() {
    return config;
  }

  BrokerMetrics metrics() {
    return metrics;
  }

  StateWriter writer() {
    return writer;
  }

  /** Schedules a timer; null when the broker is shutting down (the timer would not matter any more). */
  ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    try {
      return scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Timer not scheduled: the broker is shutting down.");
      return null;
    }
  }

  /** The tenant's topic space, created on first use. */
  public TenantSpace<Session> space(String tenant) {
    return spaces.computeIfAbsent(tenant, TenantSpace::new);
  }

  /** The tenant's topic space if anything ever lived in it. */
  public TenantSpace<Session> existingSpace(String tenant) {
    return spaces.get(tenant);
  }

  public Collection<TenantSpace<Session>> spaces() {
    return spaces.values();
  }

  public Optional<Session> find(SessionKey key) {
    return Optional.ofNullable(sessions.get(key));
  }

  /** True when a connection holds the session of {@code key} (a CONNECT with that id takes it over). */
  public boolean isOnline(SessionKey key) {
    Session session = sessions.get(key);
    return session != null && session.link() != null;
  }

  public Collection<Session> all() {
    return sessions.values();
  }

  /**
   * Gives {@code link} the session of {@code key}: a clean start discards an existing session first;
   * otherwise an existing session continues. A connection that held the session is told it was taken
   * over (MQTT-3.1.4-3).
   */
  public Opened open(SessionKey key, boolean cleanStart, long expiryInterval, ClientLink link) {
    TenantSpace<Session> space = space(key.tenant());
    boolean discard = cleanStart;
    while (true) {
      Session existing = sessions.get(key);
      if (existing == null) {
        Session fresh = new Session(key, space, this, expiryInterval);
        if (sessions.putIfAbsent(key, fresh) == null) {
          fresh.attach(link, expiryInterval);
          return new Opened(fresh, false);
        }
        continue;
      }
      if (discard) {
        ClientLink previous = existing.link();
        endSession(existing, false);
        if (previous != null) {
          previous.takenOver();
        }
        discard = false;
        continue;
      }
      Session.Attached attached = existing.attach(link, expiryInterval);
      if (!attached.ok()) {
        sessions.remove(key, existing);
        continue;
      }
      if (attached.previous() != null) {
        attached.previous().takenOver();
      }
      return new Opened(existing, true);
    }
  }

  /**
   * The connection behind {@code link} closed. Ends a session that does not outlive its connection and
   * starts the expiry clock of one that does. False when another connection had taken the session over.
   */
  public boolean closed(Session session, ClientLink link) {
    long expiry;
    synchronized (session) {
      if (!session.detach(link, System.currentTimeMillis())) {
        return false;
      }
      expiry = session.expiryInterval();
      if (expiry > 0 && expiry != Session.NEVER_EXPIRES) {
        session.expireAfter(expiry * 1000);
      }
    }
    if (expiry == 0) {
      endSession(session, true);
    }
    return true;
  }

  /** The expiry timer fired: end the session unless its client came back. */
  void expire(Session session) {
    if (endSession(session, true)) {
      LOG.info("Session {} expired.", session.key());
    }
  }

  /** Ends a session: forgets it, deletes it from the store, publishes a will still waiting. */
  public boolean endSession(Session session, boolean onlyIfOffline) {
    boolean persistent = session.isPersistent();
    Runnable will = session.end(onlyIfOffline);
    if (will == null) {
      return false;
    }
    sessions.remove(session.key(), session);
    if (persistent) {
      SessionKey key = session.key();
      writer.submit("delete session " + key, s -> s.deleteSession(key.tenant(), key.clientId()));
    }
    will.run();
    return true;
  }

  /** Rebuilds the stored sessions at start, offline, with their expiry clocks running. */
  public void restore(List<SessionState> stored) {
    long now = System.currentTimeMillis();
    for (SessionState state : stored) {
      SessionKey key = new SessionKey(state.tenant(), state.clientId());
      Session session = new Session(key, space(key.tenant()), this, state.expiryIntervalSeconds());
      List<BrokerMessage> queued = writer.store().queued(key.tenant(), key.clientId());
      session.restore(state, queued);
      sessions.put(key, session);
      long expiry = state.expiryIntervalSeconds();
      if (expiry != Session.NEVER_EXPIRES) {
        long remaining = session.disconnectedAtMillis() + expiry * 1000 - now;
        if (remaining <= 0) {
          endSession(session, true);
        } else {
          session.expireAfter(remaining);
        }
      }
    }
    LOG.info("Restored {} persistent MQTT sessions.", sessions.size());
  }
}
