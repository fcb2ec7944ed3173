package io.flotilla.store.sql;

import static io.flotilla.store.sql.BrokerFixtures.bareMessage;
import static io.flotilla.store.sql.BrokerFixtures.fullMessage;
import static io.flotilla.store.sql.BrokerFixtures.longText;
import static io.flotilla.store.sql.BrokerFixtures.numbered;
import static io.flotilla.store.sql.BrokerFixtures.session;
import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.core.store.RegistryTx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

public abstract class BrokerSessionContract extends ContractPart {
  private static final String A = ACME.value();
  private static final String G = GLOBEX.value();
  private static final int MAX = 1000;

  /** A session reads back as saved, with every subscription option; unknown clients have none. */
  @Test
  void savedSessionIsFoundWithEverySubscriptionOption() {
    SessionState saved = session(A, "sensor-1");
    inWrite(tx -> tx.brokerSessions().save(saved));

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, "sensor-1"))).contains(saved);
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, "sensor-2"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(G, "sensor-1"))).isEmpty();
  }

  /** Saving again replaces the session's state but keeps its queue. */
  @Test
  void saveReplacesTheStateAndKeepsTheQueue() {
    inWrite(tx -> {
      tx.brokerSessions().save(session(A, "sensor-1"));
      tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 1), MAX);
    });
    SessionState connected = new SessionState(A, "sensor-1", 30, 0,
        List.of(new SubscriptionState("only/this", 1, false, false, 0, Optional.empty())));
    inWrite(tx -> tx.brokerSessions().save(connected));

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, "sensor-1"))).contains(connected);
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isEqualTo(1);
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1"))).containsExactly(numbered("t", 1));
  }

  /** A session without subscriptions is a session too. */
  @Test
  void sessionWithoutSubscriptionsRoundTrips() {
    SessionState bare = new SessionState(A, "c", 0, 0, List.of());
    inWrite(tx -> tx.brokerSessions().save(bare));
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, "c"))).contains(bare);
  }

  /** Deleting a session deletes its queue, and says whether there was a session. */
  @Test
  void deleteRemovesTheSessionAndItsQueue() {
    inWrite(tx -> {
      tx.brokerSessions().save(session(A, "sensor-1"));
      tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 1), MAX);
      tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 2), MAX);
    });

    assertThat(write((RegistryTx tx) -> tx.brokerSessions().delete(A, "sensor-1"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().delete(A, "sensor-1"))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, "sensor-1"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isZero();
    // The same client starting a new session finds no messages left from the old one.
    inWrite(tx -> tx.brokerSessions().save(session(A, "sensor-1")));
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isZero();
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1"))).isEmpty();
  }

  /** loadAll returns every session of every tenant. */
  @Test
  void loadAllReturnsTheSessionsOfEveryTenant() {
    inWrite(tx -> {
      tx.brokerSessions().save(session(A, "one"));
      tx.brokerSessions().save(session(A, "two"));
      tx.brokerSessions().save(session(G, "one"));
    });

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().loadAll()))
        .containsExactlyInAnyOrder(session(A, "one"), session(A, "two"), session(G, "one"));
  }

  /** Drain returns the queued messages in the order they were queued, across transactions, and empties the queue. */
  @Test
  void drainReturnsMessagesInEnqueueOrderAndEmptiesTheQueue() {
    inWrite(tx -> tx.brokerSessions().save(session(A, "sensor-1")));
    inWrite(tx -> {
      for (int n = 1; n <= 3; n++) {
        assertThat(tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", n), MAX)).isTrue();
      }
    });
    for (int n = 4; n <= 5; n++) {
      int number = n;
      assertThat(write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", number), MAX)))
          .isTrue();
    }
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isEqualTo(5);

    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1")))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 5).mapToObj(n -> numbered("t", n)).toList());
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isZero();
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1"))).isEmpty();

    inWrite(tx -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 6), MAX));
    inWrite(tx -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 7), MAX));
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1")))
        .containsExactly(numbered("t", 6), numbered("t", 7));
  }

  /** Queued messages keep every field, binary fields byte for byte and user properties in order. */
  @Test
  void queuedMessagesKeepEveryField() {
    inWrite(tx -> {
      tx.brokerSessions().save(session(A, "sensor-1"));
      tx.brokerSessions().enqueue(A, "sensor-1", fullMessage("a/b"), MAX);
      tx.brokerSessions().enqueue(A, "sensor-1", bareMessage("a/c"), MAX);
    });

    List<BrokerMessage> drained = write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1"));
    assertThat(drained).containsExactly(fullMessage("a/b"), bareMessage("a/c"));
    assertThat(drained.get(0).payload()).containsExactly(BrokerFixtures.allByteValues());
    assertThat(drained.get(0).userProperties()).isEqualTo(fullMessage("a/b").userProperties());
    assertThat(drained.get(1).payload()).isEmpty();
    assertThat(drained.get(1).correlationData()).isEmpty();
  }

  /** A full queue refuses the next message and does not store it; draining makes room again. */
  @Test
  void enqueueRefusesMessagesBeyondMaxQueued() {
    inWrite(tx -> tx.brokerSessions().save(session(A, "sensor-1")));
    for (int n = 1; n <= 3; n++) {
      int number = n;
      assertThat(write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", number), 3)))
          .isTrue();
    }

    assertThat(write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 4), 3))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isEqualTo(3);
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1")))
        .containsExactly(numbered("t", 1), numbered("t", 2), numbered("t", 3));
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 5), 3))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 6), 0))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isEqualTo(1);
  }

  /** Transactions enqueueing for one session at once never push its queue past the bound, nor lose a message. */
  @Test
  void concurrentEnqueuesRespectTheBound() throws Exception {
    inWrite(tx -> tx.brokerSessions().save(session(A, "busy")));
    int threads = 8;
    int each = 10;
    int bound = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> accepted = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        accepted.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < each; i++) {
            BrokerMessage message = numbered("t/" + thread, i);
            if (write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "busy", message, bound))) {
              ok++;
            }
          }
          return ok;
        }));
      }
      int total = 0;
      for (Future<Integer> future : accepted) {
        total += future.get(30, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(bound);
    } finally {
      pool.shutdownNow();
    }
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "busy"))).isEqualTo(bound);
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "busy"))).hasSize(bound);
  }

  /** Queuing for a client without a stored session is refused, naming the client. */
  @Test
  void enqueueForAnUnknownSessionIsRefused() {
    assertThatThrownBy(() -> write((RegistryTx tx) -> tx.brokerSessions().enqueue(A, "ghost", numbered("t", 1), MAX)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ghost").hasMessageContaining("save");
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "ghost"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "ghost"))).isZero();
  }

  /** The same client id in two tenants names two sessions with separate queues. */
  @Test
  void sameClientIdInTwoTenantsIsTwoSessions() {
    SessionState acme = session(A, "sensor-1");
    SessionState globex = new SessionState(G, "sensor-1", 60, 5, List.of());
    inWrite(tx -> {
      tx.brokerSessions().save(acme);
      tx.brokerSessions().save(globex);
      tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 1), MAX);
      tx.brokerSessions().enqueue(A, "sensor-1", numbered("t", 2), MAX);
      tx.brokerSessions().enqueue(G, "sensor-1", numbered("t", 3), 1);
    });

    assertThat(write((RegistryTx tx) -> tx.brokerSessions().enqueue(G, "sensor-1", numbered("t", 4), 1))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(G, "sensor-1"))).contains(globex);
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isEqualTo(2);
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(G, "sensor-1"))).containsExactly(numbered("t", 3));
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().delete(G, "sensor-1"))).isTrue();

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, "sensor-1"))).contains(acme);
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1")))
        .containsExactly(numbered("t", 1), numbered("t", 2));
  }

  /** Client ids of the longest length MQTT allows are stored and told apart, even when they differ only at the end. */
  @Test
  void clientIdsOfMaximumMqttLengthAreKeptApart() {
    String first = longText(11, "1");
    String second = longText(11, "2");
    inWrite(tx -> {
      tx.brokerSessions().save(session(A, first));
      tx.brokerSessions().save(session(A, second));
      tx.brokerSessions().enqueue(A, second, numbered(longText(13, ""), 1), MAX);
    });

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().find(A, first))).contains(session(A, first));
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, first))).isZero();
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, second)))
        .containsExactly(numbered(longText(13, ""), 1));
  }

  /** Sessions and their queues survive a restart of the store. */
  @Test
  void sessionsAndQueuesSurviveARestart() {
    inWrite(tx -> {
      tx.brokerSessions().save(session(A, "sensor-1"));
      tx.brokerSessions().enqueue(A, "sensor-1", fullMessage("a"), MAX);
    });
    subject().reopen();

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().loadAll())).containsExactly(session(A, "sensor-1"));
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1"))).containsExactly(fullMessage("a"));
  }

  /** Deleting a tenant deletes its sessions and their queues, and nothing of another tenant. */
  @Test
  void deletingATenantRemovesItsSessionsAndQueues() {
    inWrite(tx -> {
      for (String t : List.of(A, G)) {
        tx.brokerSessions().save(session(t, "sensor-1"));
        tx.brokerSessions().enqueue(t, "sensor-1", numbered("t", 1), MAX);
      }
    });

    assertThat(write((RegistryTx tx) -> tx.tenants().delete(ACME))).isTrue();

    assertThat(read((RegistryTx tx) -> tx.brokerSessions().loadAll())).containsExactly(session(G, "sensor-1"));
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(G, "sensor-1"))).isEqualTo(1);
    // A tenant re-created under the same id starts without sessions or queued messages.
    inWrite(tx -> {
      tx.tenants().insert(tenant(ACME));
      tx.brokerSessions().save(session(A, "sensor-1"));
    });
    assertThat(read((RegistryTx tx) -> tx.brokerSessions().queued(A, "sensor-1"))).isZero();
    assertThat(write((RegistryTx tx) -> tx.brokerSessions().drain(A, "sensor-1"))).isEmpty();
  }
}
