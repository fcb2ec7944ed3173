package io.flotilla.core.store;

import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandStatus;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Commands to devices and their life (table {@code commands}, migration V11). */
public interface CommandRepository {
  /** Throws {@link DuplicateKeyException} when the id is taken in the tenant. */
  void insert(Command command);

  Optional<Command> find(TenantId tenant, String id);

  /** Where a page of a device's commands ends: the last command's creation time and id. */
  record Position(Instant createdAt, String id) {}

  /**
   * The device's commands, newest first (ties by id, descending), only those in {@code status} when given, only those
   * after {@code after} in that order when given; at most {@code limit}.
   */
  List<Command> listForDevice(TenantId tenant, String deviceId, Optional<CommandStatus> status,
      Optional<Position> after, int limit);

  /** Replaces the stored command if its version is still {@code expectedVersion}; false when it is not. */
  boolean update(Command command, long expectedVersion);

  /** The device's commands waiting for delivery (queued or sent, not yet acknowledged), oldest first. */
  List<Command> undelivered(TenantId tenant, String deviceId, int limit);

  /** Every tenant's queued commands whose device is online, oldest first. */
  List<Command> queuedForOnlineDevices(int limit);

  /** Every tenant's sent, unacknowledged commands last sent at or before {@code sentBefore}, oldest first. */
  List<Command> sentBefore(Instant sentBefore, int limit);

  /** Every tenant's unfinished commands whose deadline ({@code expiresAt}) is at or before {@code at}. */
  List<Command> dueBy(Instant at, int limit);

  /** Every tenant's direct commands still queued (not reached their device) whose connect timeout ended by {@code at}. */
  List<Command> directAwaitingConnection(Instant at, int limit);
}
