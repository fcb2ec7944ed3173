package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.command.CommandStatus;
import io.flotilla.core.command.CommandTransport;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.store.CommandRepository;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commands to devices, as callers see them: send one to a device (direct: wait for the answer; queued: stored and
 * delivered when the device is online), send one to every device of a group, read them, cancel them. Sending and
 * cancelling need {@link Permission#REGISTRY_WRITE} and are audited in their transaction; reading needs
 * {@link Permission#REGISTRY_READ}. Delivery is the {@link CommandDispatcher}'s.
 */
public final class CommandService {
  public static final int MIN_TIMEOUT = 5;
  public static final int MAX_TIMEOUT = 300;
  public static final int DEFAULT_TIMEOUT = 30;
  public static final int MAX_CONNECT_TIMEOUT = 300;
  public static final int MAX_TTL = 30 * 86_400;
  public static final int DEFAULT_TTL = 86_400;
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  /** Devices one group command may address. */
  public static final int MAX_GROUP_DEVICES = 10_000;
  static final Set<String> FIELDS = Set.of("name", "payload", "mode", "timeoutSeconds", "ttlSeconds",
      "connectTimeoutSeconds");
  /** What a direct caller waits beyond the deadline for the dispatcher to say the command timed out. */
  private static final Duration GRACE = Duration.ofMillis(500);

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final CommandTransport transport;
  private final CommandDispatcher dispatcher;
  private final GroupResolver groups = new GroupResolver();

  public CommandService(RegistryStore store, Clock clock, CommandTransport transport, CommandDispatcher dispatcher) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.transport = transport;
    this.dispatcher = dispatcher;
  }

  /** What was asked, read from the caller's body. */
  private record Request(String name, JsonNode payload, CommandMode mode, int timeout, int connectTimeout, int ttl) {}

  /**
   * Sends a command to one device. A queued command is returned as stored; a direct one is returned once it ended:
   * answered, timed out or cancelled. A direct command to an offline device is refused at once (409) unless
   * {@code connectTimeoutSeconds} lets it wait for the device.
   */
  public Command send(Principal principal, String deviceId, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    Request request = read(body, CommandMode.DIRECT);
    Instant now = clock.instant();
    Command command = store.write(tx -> {
      Device device = device(tx, principal, deviceId);
      if (request.mode() == CommandMode.DIRECT && request.connectTimeout() == 0
          && !transport.online(principal.tenant(), deviceId)) {
        throw new ConflictException("device '" + deviceId + "' is offline: a direct command needs it connected; "
            + "send it with \"mode\": \"queued\" to deliver it when the device connects, or give "
            + "connectTimeoutSeconds to wait for it");
      }
      Command c = newCommand(principal, device, request, now, Optional.empty());
      tx.commands().insert(c);
      audit.record(tx, principal, "command.send", "command", c.id(), AuditTrail.ABSENT, EntityJson.command(c));
      return c;
    });
    dispatcher.announce(command);
    if (command.mode() == CommandMode.QUEUED) {
      dispatcher.dispatchSoon(command);
      return command;
    }
    return awaitEnd(command);
  }

  /** Sends a queued command to every device of a group (static or dynamic); one command per device. */
  public List<Command> sendToGroup(Principal principal, String groupId, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    Request request = read(body, CommandMode.QUEUED);
    if (request.mode() != CommandMode.QUEUED) {
      throw new ValidationException("mode", "a group command is queued: each device gets its own command, delivered "
          + "when it is online; send direct commands to one device at a time");
    }
    Instant now = clock.instant();
    List<Command> sent = store.write(tx -> {
      if (tx.groups().find(principal.tenant(), groupId).isEmpty()) {
        throw new NotFoundException("group", groupId);
      }
      DeviceFilter members = groups.filterFor(tx, principal.tenant(), groupId);
      List<Device> devices = tx.devices().list(principal.tenant(), List.of(members), DeviceSort.BY_ID,
          Optional.empty(), MAX_GROUP_DEVICES + 1);
      if (devices.size() > MAX_GROUP_DEVICES) {
        throw new ConflictException("group '" + groupId + "' has more than " + MAX_GROUP_DEVICES + " devices, the "
            + "most one group command addresses; split it into smaller groups");
      }
      List<Command> commands = new ArrayList<>();
      List<AuditTrail.Change> changes = new ArrayList<>();
      for (Device device : devices) {
        if (!inService(device)) {
          continue;
        }
        Command c = newCommand(principal, device, request, now, Optional.of(groupId));
        tx.commands().insert(c);
        commands.add(c);
        changes.add(new AuditTrail.Change(c.id(), AuditTrail.ABSENT, EntityJson.command(c)));
      }
      if (!changes.isEmpty()) {
        audit.recordAll(tx, principal, "command.send", "command", changes);
      }
      return commands;
    });
    sent.forEach(c -> {
      dispatcher.announce(c);
      dispatcher.dispatchSoon(c);
    });
    return sent;
  }

  public Command get(Principal principal, String deviceId, String commandId) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> find(tx, principal, deviceId, commandId));
  }

  /**
   * The device's commands, newest first, at most {@code limit}, only those with {@code status} when given, from
   * {@code cursor} (the previous page's next cursor) when given.
   */
  public Page<Command> list(Principal principal, String deviceId, Optional<String> status, Optional<String> cursor,
      int limit) {
    principal.require(Permission.REGISTRY_READ);
    Optional<CommandStatus> wanted = status.map(s -> CommandStatus.fromWire(s).orElseThrow(() ->
        new ValidationException("status", "'" + s + "' is not a command status; use one of queued, sent, "
            + "delivered, succeeded, failed, timed-out, expired, cancelled")));
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "must be between 1 and 500");
    }
    Optional<CommandRepository.Position> after = cursor.map(CommandService::position);
    List<Command> rows = store.read(tx -> {
      tx.devices().find(principal.tenant(), new DeviceId(deviceId))
          .orElseThrow(() -> new NotFoundException("device", deviceId));
      return tx.commands().listForDevice(principal.tenant(), deviceId, wanted, after, limit + 1);
    });
    return Page.ofOneMore(rows, limit, last -> last.createdAt().toEpochMilli() + "." + last.id());
  }

  private static CommandRepository.Position position(String cursor) {
    int dot = cursor.indexOf('.');
    try {
      if (dot > 0 && Command.ID.matcher(cursor.substring(dot + 1)).matches()) {
        return new CommandRepository.Position(Instant.ofEpochMilli(Long.parseLong(cursor.substring(0, dot))),
            cursor.substring(dot + 1));
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ValidationException("cursor", "is not a cursor this list returned; pass nextCursor of the previous "
        + "page unchanged");
  }

  /** Cancels a command that has not reached its device yet (queued or sent). */
  public Command cancel(Principal principal, String deviceId, String commandId) {
    principal.require(Permission.REGISTRY_WRITE);
    Command cancelled = store.write(tx -> {
      Command current = find(tx, principal, deviceId, commandId);
      if (current.status() != CommandStatus.QUEUED && current.status() != CommandStatus.SENT) {
        throw new ConflictException("command '" + commandId + "' is " + current.status().wireName()
            + "; only queued or sent commands can be cancelled");
      }
      Command next = current.moved(CommandStatus.CANCELLED, clock.instant(), Optional.of("cancelled by "
          + principal.actor()));
      if (!tx.commands().update(next, current.version())) {
        throw new ConflictException("command '" + commandId + "' changed meanwhile; read it and try again");
      }
      audit.record(tx, principal, "command.cancel", "command", commandId, EntityJson.command(current),
          EntityJson.command(next));
      return next;
    });
    dispatcher.announce(cancelled);
    dispatcher.endedElsewhere(cancelled);
    return cancelled;
  }

  private Command awaitEnd(Command command) {
    var outcome = dispatcher.outcome(command);
    dispatcher.dispatchSoon(command);
    Duration left = Duration.between(clock.instant(), command.expiresAt()).plus(GRACE);
    try {
      return outcome.get(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      dispatcher.forget(command);
      return dispatcher.timeOut(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      dispatcher.forget(command);
      return command;
    } catch (ExecutionException | CancellationException e) {
      dispatcher.forget(command);
      return store.read(tx -> tx.commands().find(command.tenant(), command.id())).orElse(command);
    }
  }

  private Command newCommand(Principal principal, Device device, Request r, Instant now, Optional<String> group) {
    boolean direct = r.mode() == CommandMode.DIRECT;
    Instant expires = now.plusSeconds(direct ? (long) r.connectTimeout() + r.timeout() : r.ttl());
    return new Command(principal.tenant(), TokenSecrets.newId("cmd"), device.id().value(), r.name(), r.payload(),
        r.mode(), CommandStatus.QUEUED, direct ? r.timeout() : 0, direct ? r.connectTimeout() : 0, now, expires,
        Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), group,
        principal.actor(), now, 1);
  }

  private static Device device(RegistryTx tx, Principal principal, String deviceId) {
    Device device = tx.devices().find(principal.tenant(), new DeviceId(deviceId))
        .orElseThrow(() -> new NotFoundException("device", deviceId));
    if (!inService(device)) {
      throw new ConflictException("device '" + deviceId + "' is " + device.status().wireName()
          + "; commands go to devices in service");
    }
    return device;
  }

  /** Suspended, decommissioned and pending devices cannot connect, so they get no commands. */
  private static boolean inService(Device device) {
    return device.status() == DeviceStatus.ACTIVE || device.status() == DeviceStatus.PROVISIONED;
  }

  private static Command find(RegistryTx tx, Principal principal, String deviceId, String commandId) {
    return tx.commands().find(principal.tenant(), commandId).filter(c -> c.deviceId().equals(deviceId))
        .orElseThrow(() -> new NotFoundException("command", commandId));
  }

  private static Request read(ObjectNode body, CommandMode defaultMode) {
    FieldReader r = FieldReader.of(body, FIELDS);
    Optional<String> name = r.string("name");
    if (name.isEmpty() && !r.hasErrorAt("name")) {
      r.error("name", "is required, e.g. \"reboot\"");
    }
    name.filter(n -> !Command.NAME.matcher(n).matches()).ifPresent(n -> r.error("name", "'" + n + "' is not a "
        + "valid command name: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    JsonNode payload = body.has("payload") ? body.get("payload") : Json.object();
    int bytes = Json.write(payload).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PAYLOAD_BYTES) {
      r.error("payload", "is " + bytes + " bytes of JSON; at most " + MAX_PAYLOAD_BYTES + " are allowed");
    }
    Optional<String> modeText = r.string("mode");
    Optional<CommandMode> mode = modeText.isEmpty() ? Optional.of(defaultMode)
        : CommandMode.fromWire(modeText.get());
    if (mode.isEmpty()) {
      r.error("mode", "'" + modeText.get() + "' is not a mode; use direct or queued");
    }
    boolean direct = mode.orElse(defaultMode) == CommandMode.DIRECT;
    int timeout = bounded(r, "timeoutSeconds", MIN_TIMEOUT, MAX_TIMEOUT, DEFAULT_TIMEOUT, direct,
        "a queued command has ttlSeconds instead");
    int connect = bounded(r, "connectTimeoutSeconds", 1, MAX_CONNECT_TIMEOUT, 0, direct,
        "a queued command waits for its device anyway, within ttlSeconds");
    int ttl = bounded(r, "ttlSeconds", 1, MAX_TTL, DEFAULT_TTL, !direct, "a direct command has timeoutSeconds "
        + "instead");
    r.throwIfErrors();
    return new Request(name.orElseThrow(), payload, mode.orElseThrow(), timeout, connect, ttl);
  }

  private static int bounded(FieldReader r, String field, int min, int max, int absent, boolean applies,
      String otherwise) {
    Optional<Long> value = r.integer(field);
    if (value.isEmpty()) {
      return absent;
    }
    if (!applies) {
      r.error(field, "does not apply to this mode; " + otherwise);
      return absent;
    }
    if (value.get() < min || value.get() > max) {
      r.error(field, "must be between " + min + " and " + max + " seconds, was " + value.get());
      return absent;
    }
    return value.get().intValue();
  }
}
