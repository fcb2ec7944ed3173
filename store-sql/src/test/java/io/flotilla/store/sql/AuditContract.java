package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.audit.AuditChain;
import io.flotilla.core.audit.AuditQuery;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.audit.ChainHead;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public abstract class AuditContract extends ContractPart {
  private static final AuditQuery ALL = new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), 100);

  /** A new chain's head is empty, locked or not. */
  @Test
  void newChainStartsAtTheEmptyHead() {
    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME))).isEqualTo(ChainHead.EMPTY);
    assertThat(write((RegistryTx tx) -> tx.audit().lockHead(ACME))).isEqualTo(ChainHead.EMPTY);
    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME))).isEqualTo(ChainHead.EMPTY);
  }

  /** Appends move the head; queries list newest first; forEach streams the chain in order. */
  @Test
  void appendsMoveTheHeadAndReadBackInOrder() {
    List<AuditRecord> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      written.add(append(ACME, T0.plusSeconds(i), "user:alice/token:t1", "device.create", "device", "dev-" + i));
    }
    append(GLOBEX, T0, "system", "device.create", "device", "dev-0");

    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME))).isEqualTo(new ChainHead(3, written.get(2).hash()));
    assertThat(read((RegistryTx tx) -> tx.audit().query(ACME, ALL))).containsExactlyElementsOf(written.reversed());
    List<AuditRecord> streamed = new ArrayList<>();
    read((RegistryTx tx) -> {
      tx.audit().forEach(ACME, streamed::add);
      return null;
    });
    assertThat(streamed).containsExactlyElementsOf(written);
    assertThat(streamed).allMatch(r -> AuditChain.expectedHash(r).equals(r.hash()));
    assertThat(read((RegistryTx tx) -> tx.audit().head(GLOBEX)).seq()).isEqualTo(1);
  }

  /** A batch of consecutive records lands whole and moves the head once; a gap in it is refused. */
  @Test
  void appendAllWritesConsecutiveRecordsInOneGo() {
    append(ACME, T0, "system", "device.create", "device", "dev-0");
    List<AuditRecord> batch = write((RegistryTx tx) -> {
      ChainHead head = tx.audit().lockHead(ACME);
      List<AuditRecord> records = new ArrayList<>();
      for (int i = 1; i <= 500; i++) {
        AuditRecord next = AuditChain.next(head, ACME, T0, "system", "device.import", "device", "dev-" + i, "null",
            "{}");
        records.add(next);
        head = new ChainHead(next.seq(), next.hash());
      }
      tx.audit().appendAll(records);
      return records;
    });
    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME))).isEqualTo(new ChainHead(501, batch.get(499).hash()));
    List<AuditRecord> streamed = new ArrayList<>();
    read((RegistryTx tx) -> {
      tx.audit().forEach(ACME, streamed::add);
      return null;
    });
    assertThat(streamed).hasSize(501).endsWith(batch.get(499));

    assertThatThrownBy(() -> write((RegistryTx tx) -> {
      ChainHead head = tx.audit().lockHead(ACME);
      AuditRecord a = AuditChain.next(head, ACME, T0, "system", "x", "device", "a", "null", "{}");
      AuditRecord skipped = AuditChain.next(new ChainHead(a.seq() + 1, a.hash()), ACME, T0, "system", "x", "device",
          "b", "null", "{}");
      tx.audit().appendAll(List.of(a, skipped));
      return null;
    })).isInstanceOf(IllegalStateException.class);
    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME)).seq()).isEqualTo(501);
  }

  /** Each query field narrows the result: entity, actor, time range (to exclusive), sequence cursor, limit. */
  @Test
  void queryFiltersByEntityActorTimeAndSequence() {
    append(ACME, T0, "alice", "device.create", "device", "d1");
    append(ACME, T0.plusSeconds(10), "bob", "device.update", "device", "d1");
    append(ACME, T0.plusSeconds(20), "alice", "group.create", "group", "g1");
    append(ACME, T0.plusSeconds(30), "alice", "device.delete", "device", "d2");

    assertThat(seqs(query(Optional.of("device"), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), 100))).containsExactly(4L, 2L, 1L);
    assertThat(seqs(query(Optional.of("device"), Optional.of("d1"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), 100))).containsExactly(2L, 1L);
    assertThat(seqs(query(Optional.empty(), Optional.empty(), Optional.of("alice"), Optional.empty(),
        Optional.empty(), Optional.empty(), 100))).containsExactly(4L, 3L, 1L);
    assertThat(seqs(query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(T0.plusSeconds(10)),
        Optional.of(T0.plusSeconds(30)), Optional.empty(), 100))).containsExactly(3L, 2L);
    assertThat(seqs(query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(4L), 2))).containsExactly(3L, 2L);
    assertThat(read((RegistryTx tx) -> tx.audit().query(GLOBEX, ALL))).isEmpty();
  }

  /** A record that does not follow the head is refused, and nothing of it is stored. */
  @Test
  void appendThatDoesNotFollowTheHeadIsRefused() {
    append(ACME, T0, "alice", "device.create", "device", "d1");
    AuditRecord forked = AuditChain.next(ChainHead.EMPTY, ACME, T0, "mallory", "device.delete", "device", "d1",
        "{}", "null");

    assertThatThrownBy(() -> inWrite(tx -> tx.audit().append(forked))).isInstanceOf(IllegalStateException.class);
    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME)).seq()).isEqualTo(1);
    assertThat(read((RegistryTx tx) -> tx.audit().query(ACME, ALL))).hasSize(1);
  }

  /** Writers appending to one chain at the same time extend it one after another, without forks or failures. */
  @Test
  void concurrentAppendersExtendOneChain() throws Exception {
    int threads = 4;
    int appendsEach = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String actor = "worker-" + t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < appendsEach; i++) {
            append(ACME, T0, actor, "device.update", "device", "d" + i);
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<AuditRecord> chain = new ArrayList<>();
    read((RegistryTx tx) -> {
      tx.audit().forEach(ACME, chain::add);
      return null;
    });
    assertThat(chain).hasSize(threads * appendsEach);
    String previous = AuditChain.GENESIS;
    for (int i = 0; i < chain.size(); i++) {
      AuditRecord record = chain.get(i);
      assertThat(record.seq()).isEqualTo(i + 1);
      assertThat(record.prevHash()).isEqualTo(previous);
      assertThat(AuditChain.expectedHash(record)).isEqualTo(record.hash());
      previous = record.hash();
    }
    assertThat(read((RegistryTx tx) -> tx.audit().head(ACME))).isEqualTo(new ChainHead(chain.size(), previous));
  }

  /** A second writer's lockHead waits until the first writer's transaction ends, then sees its append. */
  @Test
  void lockHeadMakesASecondWriterWaitForTheFirst() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> first = pool.submit(() -> inWrite(tx -> {
        ChainHead head = tx.audit().lockHead(ACME);
        locked.countDown();
        sleep(400);
        tx.audit().append(AuditChain.next(head, ACME, T0, "first", "device.create", "device", "d1", "null", "{}"));
      }));
      assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
      long started = System.nanoTime();
      ChainHead seenBySecond = write((RegistryTx tx) -> tx.audit().lockHead(ACME));
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;
      first.get(10, TimeUnit.SECONDS);

      assertThat(seenBySecond.seq()).isEqualTo(1);
      assertThat(waitedMillis).isGreaterThanOrEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  private AuditRecord append(TenantId tenant, Instant at, String actor, String action, String type, String id) {
    return write((RegistryTx tx) -> {
      ChainHead head = tx.audit().lockHead(tenant);
      AuditRecord record = AuditChain.next(head, tenant, at, actor, action, type, id, "null", "{\"id\":\"" + id + "\"}");
      tx.audit().append(record);
      return record;
    });
  }

  private List<AuditRecord> query(Optional<String> type, Optional<String> id, Optional<String> actor,
      Optional<Instant> from, Optional<Instant> to, Optional<Long> beforeSeq, int limit) {
    return read((RegistryTx tx) -> tx.audit().query(ACME, new AuditQuery(type, id, actor, from, to, beforeSeq, limit)));
  }

  private static List<Long> seqs(List<AuditRecord> records) {
    return records.stream().map(AuditRecord::seq).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
