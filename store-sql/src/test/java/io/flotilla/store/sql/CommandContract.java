package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandAnswer;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.command.CommandStatus;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.CommandRepository;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public abstract class CommandContract extends ContractPart {

  static Command command(TenantId tenant, String id, String deviceId, CommandMode mode, Instant created) {
    return new Command(tenant, id, deviceId, "reboot", Json.object().put("delay", 5), mode, CommandStatus.QUEUED,
        mode == CommandMode.DIRECT ? 30 : 0, 0, created, created.plusSeconds(60), Optional.empty(), Optional.empty(),
        Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.of("north"), "user:admin", created, 1);
  }

  @BeforeEach
  void devices() {
    inWrite(tx -> {
      tx.devices().insert(device(ACME, "d1"));
      tx.devices().insert(device(ACME, "d2"));
      tx.devices().insert(device(GLOBEX, "d1"));
    });
  }

  /** Every field reads back as written, through each step of a command's life; ids are unique per tenant. */
  @Test
  void commandRoundTripsEveryStepAndIdsAreUniquePerTenant() {
    Command queued = command(ACME, "cmd_1", "d1", CommandMode.DIRECT, T0);
    inWrite(tx -> tx.commands().insert(queued));
    assertThat(read((RegistryTx tx) -> tx.commands().find(ACME, "cmd_1"))).contains(queued);
    assertThat(read((RegistryTx tx) -> tx.commands().find(GLOBEX, "cmd_1"))).isEmpty();
    assertThatThrownBy(() -> inWrite(tx -> tx.commands().insert(queued))).isInstanceOf(DuplicateKeyException.class);
    inWrite(tx -> tx.commands().insert(command(GLOBEX, "cmd_1", "d1", CommandMode.QUEUED, T0)));

    Command sent = queued.moved(CommandStatus.SENT, T0.plusSeconds(1), Optional.empty());
    Command answered = sent.answered(new CommandAnswer(CommandStatus.SUCCEEDED, Optional.of(Json.object()
        .put("uptime", 42)), Optional.of("ok")), T0.plusSeconds(2));
    assertThat(write((RegistryTx tx) -> tx.commands().update(sent, 1))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.commands().update(answered, 1))).as("stale version").isFalse();
    assertThat(write((RegistryTx tx) -> tx.commands().update(answered, 2))).isTrue();
    Command stored = read((RegistryTx tx) -> tx.commands().find(ACME, "cmd_1")).orElseThrow();
    assertThat(stored).isEqualTo(answered);
    assertThat(stored.attempts()).isEqualTo(1);
    assertThat(stored.deliveredAt()).contains(T0.plusSeconds(2));
    assertThat(stored.result().orElseThrow().path("uptime").asInt()).isEqualTo(42);
  }

  /** The dispatcher's queries: per device, online devices' queued ones, unacknowledged, past their deadline. */
  @Test
  void dispatcherQueriesFindWhatIsDue() {
    Command old = command(ACME, "cmd_old", "d1", CommandMode.QUEUED, T0);
    Command young = command(ACME, "cmd_young", "d1", CommandMode.QUEUED, T0.plusSeconds(10));
    Command other = command(ACME, "cmd_other", "d2", CommandMode.DIRECT, T0.plusSeconds(5));
    inWrite(tx -> {
      tx.commands().insert(young);
      tx.commands().insert(old);
      tx.commands().insert(other);
      tx.connections().upsertOnline(ACME, new DeviceId("d1"), "c1", T0, "10.0.0.1:1", "mqtt-5");
    });
    assertThat(read((RegistryTx tx) -> tx.commands().listForDevice(ACME, "d1", Optional.empty(), Optional.empty(),
        10))).extracting(Command::id).containsExactly("cmd_young", "cmd_old");
    assertThat(read((RegistryTx tx) -> tx.commands().listForDevice(ACME, "d1", Optional.empty(), Optional.empty(),
        1))).extracting(Command::id).containsExactly("cmd_young");
    assertThat(read((RegistryTx tx) -> tx.commands().listForDevice(ACME, "d1", Optional.empty(),
        Optional.of(new CommandRepository.Position(young.createdAt(), young.id())), 10))).extracting(Command::id)
        .containsExactly("cmd_old");
    assertThat(read((RegistryTx tx) -> tx.commands().undelivered(ACME, "d1", 10))).extracting(Command::id)
        .containsExactly("cmd_old", "cmd_young");
    assertThat(read((RegistryTx tx) -> tx.commands().queuedForOnlineDevices(10))).extracting(Command::id)
        .containsExactly("cmd_old", "cmd_young");
    assertThat(read((RegistryTx tx) -> tx.commands().directAwaitingConnection(T0.plusSeconds(5), 10)))
        .extracting(Command::id).containsExactly("cmd_other");
    assertThat(read((RegistryTx tx) -> tx.commands().directAwaitingConnection(T0.plusSeconds(4), 10))).isEmpty();

    inWrite(tx -> tx.commands().update(old.moved(CommandStatus.SENT, T0.plusSeconds(20), Optional.empty()), 1));
    assertThat(read((RegistryTx tx) -> tx.commands().sentBefore(T0.plusSeconds(20), 10))).extracting(Command::id)
        .containsExactly("cmd_old");
    assertThat(read((RegistryTx tx) -> tx.commands().sentBefore(T0.plusSeconds(19), 10))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.commands().queuedForOnlineDevices(10))).extracting(Command::id)
        .containsExactly("cmd_young");
    assertThat(read((RegistryTx tx) -> tx.commands().listForDevice(ACME, "d1", Optional.of(CommandStatus.SENT),
        Optional.empty(), 10))).extracting(Command::id).containsExactly("cmd_old");
    assertThat(read((RegistryTx tx) -> tx.commands().dueBy(T0.plusSeconds(65), 10))).extracting(Command::id)
        .containsExactly("cmd_old", "cmd_other");

    inWrite(tx -> tx.commands().update(other.moved(CommandStatus.CANCELLED, T0.plusSeconds(6), Optional.empty()),
        1));
    assertThat(read((RegistryTx tx) -> tx.commands().dueBy(T0.plusSeconds(65), 10))).extracting(Command::id)
        .as("finished commands are never due").containsExactly("cmd_old");
  }

  /** Pages of one device's commands follow each other without gaps or repeats, ties in creation time by id. */
  @Test
  void pagesOfADevicesCommandsAreContiguous() {
    inWrite(tx -> {
      for (int i = 0; i < 5; i++) {
        tx.commands().insert(command(ACME, "cmd_" + i, "d1", CommandMode.QUEUED, i < 3 ? T0 : T0.plusSeconds(i)));
      }
    });
    java.util.List<String> seen = new java.util.ArrayList<>();
    Optional<CommandRepository.Position> after = Optional.empty();
    for (int page = 0; page < 3; page++) {
      Optional<CommandRepository.Position> from = after;
      java.util.List<Command> rows = read((RegistryTx tx) -> tx.commands().listForDevice(ACME, "d1", Optional.empty(),
          from, 2));
      rows.forEach(c -> seen.add(c.id()));
      Command last = rows.get(rows.size() - 1);
      after = Optional.of(new CommandRepository.Position(last.createdAt(), last.id()));
    }
    assertThat(seen).containsExactly("cmd_4", "cmd_3", "cmd_2", "cmd_1", "cmd_0");
  }
}
