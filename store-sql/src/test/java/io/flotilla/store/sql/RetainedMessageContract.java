package io.flotilla.store.sql;

import static io.flotilla.store.sql.BrokerFixtures.bareMessage;
import static io.flotilla.store.sql.BrokerFixtures.fullMessage;
import static io.flotilla.store.sql.BrokerFixtures.longText;
import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.TenantMessage;
import io.flotilla.core.store.RegistryTx;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public abstract class RetainedMessageContract extends ContractPart {
  private static final String A = ACME.value();
  private static final String G = GLOBEX.value();

  /** Every field reads back as written: binary fields byte for byte, user properties in order with duplicates. */
  @Test
  void everyFieldOfARetainedMessageRoundTrips() {
    BrokerMessage full = fullMessage("sensors/1/state");
    BrokerMessage bare = bareMessage("sensors/2/state");
    inWrite(tx -> {
      tx.retainedMessages().put(A, full);
      tx.retainedMessages().put(A, bare);
    });

    List<TenantMessage> loaded = read((RegistryTx tx) -> tx.retainedMessages().loadAll());
    assertThat(loaded).containsExactlyInAnyOrder(new TenantMessage(A, full), new TenantMessage(A, bare));
    BrokerMessage readFull = messageOn(loaded, "sensors/1/state");
    assertThat(readFull.payload()).containsExactly(BrokerFixtures.allByteValues());
    assertThat(readFull.correlationData()).hasValueSatisfying(c -> assertThat(c).hasSize(256));
    assertThat(readFull.userProperties()).isEqualTo(full.userProperties());
    BrokerMessage readBare = messageOn(loaded, "sensors/2/state");
    assertThat(readBare.payload()).isEmpty();
    assertThat(readBare.expiresAt()).isEmpty();
    assertThat(readBare.contentType()).isEmpty();
    assertThat(readBare.responseTopic()).isEmpty();
    assertThat(readBare.correlationData()).isEmpty();
    assertThat(readBare.userProperties()).isEmpty();
  }

  /** A second put on a topic replaces the first message whole, optional fields included. */
  @Test
  void putReplacesTheTopicsRetainedMessage() {
    inWrite(tx -> tx.retainedMessages().put(A, fullMessage("lamp/state")));
    BrokerMessage replacement = bareMessage("lamp/state");
    inWrite(tx -> tx.retainedMessages().put(A, replacement));

    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll()))
        .containsExactly(new TenantMessage(A, replacement));
  }

  /** Remove deletes only that topic's message and says whether there was one. */
  @Test
  void removeDeletesTheTopicsMessageAndSaysWhetherThereWasOne() {
    inWrite(tx -> {
      tx.retainedMessages().put(A, bareMessage("a/b"));
      tx.retainedMessages().put(A, bareMessage("a/c"));
      tx.retainedMessages().put(G, bareMessage("a/b"));
    });

    assertThat(write((RegistryTx tx) -> tx.retainedMessages().remove(A, "a/b"))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.retainedMessages().remove(A, "a/b"))).isFalse();
    assertThat(write((RegistryTx tx) -> tx.retainedMessages().remove(A, "nothing/here"))).isFalse();

    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll())).containsExactlyInAnyOrder(
        new TenantMessage(A, bareMessage("a/c")), new TenantMessage(G, bareMessage("a/b")));
  }

  /** Each tenant has its own topic space: the same topic in two tenants holds two messages, and loadAll returns both. */
  @Test
  void loadAllReturnsTheMessagesOfEveryTenant() {
    BrokerMessage acme = fullMessage("shared/topic");
    BrokerMessage globex = bareMessage("shared/topic");
    inWrite(tx -> {
      tx.retainedMessages().put(A, acme);
      tx.retainedMessages().put(G, globex);
    });

    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll()))
        .containsExactlyInAnyOrder(new TenantMessage(A, acme), new TenantMessage(G, globex));
  }

  /** Topics of the longest length MQTT allows are stored and told apart, even when they differ only at the end. */
  @Test
  void topicsOfMaximumMqttLengthAreKeptApart() {
    String first = longText(7, "/1");
    String second = longText(7, "/2");
    inWrite(tx -> {
      tx.retainedMessages().put(A, bareMessage(first));
      tx.retainedMessages().put(A, fullMessage(second));
    });

    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll())).extracting(m -> m.message().topic())
        .containsExactlyInAnyOrder(first, second);
    assertThat(write((RegistryTx tx) -> tx.retainedMessages().remove(A, first))).isTrue();
    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll()))
        .containsExactly(new TenantMessage(A, fullMessage(second)));
  }

  /** Retained messages survive a restart of the store. */
  @Test
  void retainedMessagesSurviveARestart() {
    inWrite(tx -> tx.retainedMessages().put(A, fullMessage("config/current")));
    subject().reopen();

    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll()))
        .containsExactly(new TenantMessage(A, fullMessage("config/current")));
  }

  /** Deleting a tenant deletes its retained messages and no other tenant's. */
  @Test
  void deletingATenantRemovesItsRetainedMessages() {
    inWrite(tx -> {
      tx.retainedMessages().put(A, bareMessage("x"));
      tx.retainedMessages().put(G, bareMessage("x"));
    });

    assertThat(write((RegistryTx tx) -> tx.tenants().delete(ACME))).isTrue();

    assertThat(read((RegistryTx tx) -> tx.retainedMessages().loadAll()))
        .containsExactly(new TenantMessage(G, bareMessage("x")));
  }

  private static BrokerMessage messageOn(List<TenantMessage> messages, String topic) {
    Optional<BrokerMessage> found = messages.stream().map(TenantMessage::message)
        .filter(m -> m.topic().equals(topic)).findFirst();
    assertThat(found).as("retained message on %s", topic).isPresent();
    return found.get();
  }
}
