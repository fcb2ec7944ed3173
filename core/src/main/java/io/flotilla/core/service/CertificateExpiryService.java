package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.ca.ExpiringCredential;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.store.RegistryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings for device certificates about to expire: {@link #runOnce()} (run periodically by the server) emits a
 * {@code certificate.expiring} domain event for every active certificate credential of a device in service whose
 * validity ends within the window, once per certificate and end of validity, remembered in the registry so that
 * a restart does not emit it again. Certificates issued by the tenant CA and registered ones alike: both are
 * credentials with a {@code notAfter}. Tokens do not expire.
 */
public final class CertificateExpiryService {
  /** The longest window a listing may ask for. */
  public static final int MAX_WITHIN_DAYS = 3650;
  /** The most certificates one listing returns. */
  public static final int MAX_LISTED = 1000;
  private static final int PAGE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiryService.class);

  private final RegistryStore store;
  private final Clock clock;
  private final DomainEvents events;
  private final Duration window;

  public CertificateExpiryService(RegistryStore store, Clock clock, DomainEvents events, Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the expiry warning window must be positive, not " + window);
    }
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.window = window;
  }

  /** Emits the warnings due now; returns how many. */
  public int runOnce() {
    Instant now = clock.instant();
    int emitted = 0;
    while (true) {
      List<ExpiringCredential> due = store.read(tx -> tx.expiryWarnings().expiring(Optional.empty(), now,
          now.plus(window), true, PAGE));
      for (ExpiringCredential e : due) {
        boolean first = store.write(tx -> tx.expiryWarnings().markWarned(e.credential().tenant(), e.credential().id(),
            e.notAfter(), now));
        if (first) {
          events.publish(event(e, now));
          emitted++;
        }
      }
      if (due.size() < PAGE) {
        break;
      }
    }
    if (emitted > 0) {
      LOG.info("Warned of {} device certificates expiring within {} days", emitted, window.toDays());
    }
    return emitted;
  }

  /** The tenant's active certificates expiring within {@code withinDays} days, soonest first. */
  public List<ExpiringCredential> expiring(Principal principal, int withinDays) {
    principal.require(Permission.REGISTRY_READ);
    if (withinDays < 1 || withinDays > MAX_WITHIN_DAYS) {
      throw new ValidationException("withinDays", "must be from 1 to " + MAX_WITHIN_DAYS + ", not " + withinDays);
    }
    Instant now = clock.instant();
    return store.read(tx -> tx.expiryWarnings().expiring(Optional.of(principal.tenant()), now,
        now.plus(Duration.ofDays(withinDays)), false, MAX_LISTED));
  }

  /** The window warnings are emitted in, in whole days. */
  public long windowDays() {
    return window.toDays();
  }

  /** One expiring certificate as JSON: the credential's public face, days left and when it was warned of. */
  public static ObjectNode json(ExpiringCredential e, Instant now) {
    ObjectNode n = EntityJson.credential(e.credential());
    n.put("daysLeft", Duration.between(now, e.notAfter()).toDays());
    e.warnedAt().ifPresent(w -> n.put("warnedAt", w.toString()));
    return n;
  }

  private static DomainEvent event(ExpiringCredential e, Instant now) {
    return new DomainEvent(e.credential().tenant(), "certificate.expiring", "device",
        e.credential().device().value(), now, json(e, now));
  }
}
