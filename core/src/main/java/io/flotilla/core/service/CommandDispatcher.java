package io.flotilla.core.service;

import io.flotilla.core.command.AnswerRefusal;
import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandAnswer;
import io.flotilla.core.command.CommandMetrics;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.command.CommandSettings;
import io.flotilla.core.command.CommandStatus;
import io.flotilla.core.command.CommandTransport;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries commands through their life after they were stored: publishes them when their device is online (at
 * once, on {@code device.connected}, and on every tick), marks them delivered on the device's acknowledgement,
 * publishes unacknowledged ones again, takes the device's answers, and ends what ran out of time. Every state
 * change runs on one thread of its own and is written with the command's version, so a cancel or an answer racing
 * it never gets overwritten. Works from the registry alone, so it resumes after a restart.
 */
public final class CommandDispatcher implements AutoCloseable {
  /** Published after every change of a command's status; data: deviceId, mode, status, attempts. */
  public static final String STATUS_CHANGED = "command.status-changed";
  private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
  private static final int BATCH = 200;
  /** Commands one HTTP fetch hands over. */
  private static final int HTTP_BATCH = 50;

  private final RegistryStore store;
  private final Clock clock;
  private final DomainEvents events;
  private final CommandTransport transport;
  private final CommandMetrics metrics;
  private final CommandSettings settings;
  private final ScheduledExecutorService worker;
  private final Map<String, CompletableFuture<Command>> waiters = new ConcurrentHashMap<>();
  private AutoCloseable subscription;

  public CommandDispatcher(RegistryStore store, Clock clock, DomainEvents events, CommandTransport transport,
      CommandMetrics metrics, CommandSettings settings) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.transport = transport;
    this.metrics = metrics;
    this.settings = settings;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "command-dispatcher");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts listening for connecting devices and looking for work every tick. */
  public CommandDispatcher start() {
    subscription = events.subscribe(e -> {
      if (ConnectivityEvents.CONNECTED.equals(e.type())) {
        worker.execute(() -> safely(() -> dispatchDevice(e.tenant(), e.entityId())));
      }
    });
    long tick = settings.tick().toMillis();
    worker.scheduleWithFixedDelay(() -> safely(this::tick), tick, tick, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Tries to deliver a command just stored. */
  void dispatchSoon(Command command) {
    if (!transport.online(command.tenant(), command.deviceId())) {
      return; // delivered when its device connects; a group send skips its offline members without a read
    }
    worker.execute(() -> safely(() -> current(command).ifPresent(this::dispatch)));
  }

  /** Completes when the command ends (on this node); direct callers wait on it. */
  CompletableFuture<Command> outcome(Command command) {
    return waiters.computeIfAbsent(key(command.tenant(), command.id()), k -> new CompletableFuture<>());
  }

  void forget(Command command) {
    waiters.remove(key(command.tenant(), command.id()));
  }

  /** A direct caller stopped waiting: the command times out unless it ended meanwhile; returns its last state. */
  Command timeOut(Command command) {
    return CompletableFuture.supplyAsync(() -> {
      Optional<Command> now = current(command);
      if (now.isPresent() && !now.get().status().isFinal()) {
        return end(now.get(), CommandStatus.TIMED_OUT, timedOutWhy(now.get())).orElseGet(() -> current(command)
            .orElseThrow());
      }
      return now.orElseGet(() -> command.moved(CommandStatus.TIMED_OUT, clock.instant(),
          Optional.of("the command was deleted with its device")));
    }, worker).join();
  }

  /** A command was ended by someone else (cancelled): count it and release its waiter. */
  void endedElsewhere(Command ended) {
    finished(ended);
  }

  /**
   * Takes a device's answer to {@code commandId}; {@code correlation} is the MQTT 5 correlation data when the
   * device sent one. Completes with the refusal when the answer is not taken (nothing changes then).
   */
  public CompletionStage<Optional<AnswerRefusal>> answer(TenantId tenant, String deviceId, String commandId,
      Optional<byte[]> correlation, byte[] payload) {
    return CompletableFuture.supplyAsync(() -> takeAnswer(tenant, deviceId, commandId, correlation, payload), worker);
  }

  /**
   * The device's commands waiting for it, oldest first, for a device that fetches them over HTTP: each is marked
   * delivered as it is handed over.
   */
  public CompletionStage<List<Command>> handOver(TenantId tenant, String deviceId) {
    return CompletableFuture.supplyAsync(() -> {
      Instant now = clock.instant();
      List<Command> handed = new ArrayList<>();
      for (Command c : store.read(tx -> tx.commands().undelivered(tenant, deviceId, HTTP_BATCH))) {
        Command next = c.moved(CommandStatus.DELIVERED, now, Optional.empty());
        if (c.expiresAt().isAfter(now) && write(next, c.version())) {
          handed.add(next);
        }
      }
      return handed;
    }, worker);
  }

  private Optional<AnswerRefusal> takeAnswer(TenantId tenant, String deviceId, String commandId,
      Optional<byte[]> correlation, byte[] payload) {
    if (correlation.isPresent()
        && !Arrays.equals(correlation.get(), commandId.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of(new AnswerRefusal(422, "correlation-mismatch", "The correlation data does not match "
          + "command '" + commandId + "'; echo the correlation data of the command's PUBLISH"));
    }
    CommandAnswer answer;
    try {
      answer = CommandAnswer.parse(payload);
    } catch (CommandAnswer.Invalid e) {
      return Optional.of(new AnswerRefusal(e.error().equals("too-large") ? 413 : 400, e.error(), e.getMessage()));
    }
    Optional<Command> found = store.read(tx -> tx.commands().find(tenant, commandId))
        .filter(c -> c.deviceId().equals(deviceId));
    if (found.isEmpty()) {
      return Optional.of(new AnswerRefusal(404, "unknown-command", "No command '" + commandId + "' was sent to "
          + "device '" + deviceId + "'"));
    }
    Command command = found.get();
    if (command.status().isFinal()) {
      return Optional.of(new AnswerRefusal(409, "command-finished", "Command '" + commandId + "' is "
          + command.status().wireName() + " already; its answer is no longer taken"));
    }
    Command next = command.answered(answer, clock.instant());
    if (!write(next, command.version())) {
      return Optional.of(new AnswerRefusal(409, "command-finished", "Command '" + commandId + "' changed while its "
          + "answer arrived; read it to see its state"));
    }
    finished(next);
    return Optional.empty();
  }

  private void tick() {
    Instant now = clock.instant();
    for (Command c : store.read(tx -> tx.commands().dueBy(now, BATCH))) {
      boolean neverReached = c.mode() == CommandMode.QUEUED && c.status() != CommandStatus.DELIVERED;
      end(c, neverReached ? CommandStatus.EXPIRED : CommandStatus.TIMED_OUT, neverReached
          ? "the time to live ended before the device acknowledged the command" : timedOutWhy(c));
    }
    for (Command c : store.read(tx -> tx.commands().directAwaitingConnection(now, BATCH))) {
      if (!transport.online(c.tenant(), c.deviceId())) {
        end(c, CommandStatus.TIMED_OUT, c.connectTimeoutSeconds() > 0 ? "device '" + c.deviceId()
            + "' did not connect within " + c.connectTimeoutSeconds() + " s" : "device '" + c.deviceId()
            + "' went offline before the command reached it");
      }
    }
    store.read(tx -> tx.commands().queuedForOnlineDevices(BATCH)).forEach(this::dispatch);
    for (Command c : store.read(tx -> tx.commands().sentBefore(now.minus(settings.retryAfter()), BATCH))) {
      if (c.attempts() >= settings.maxAttempts()) {
        end(c, CommandStatus.FAILED, "the device did not acknowledge the command after " + c.attempts()
            + " deliveries");
      } else {
        dispatch(c);
      }
    }
  }

  private void dispatchDevice(TenantId tenant, String deviceId) {
    store.read(tx -> tx.commands().undelivered(tenant, deviceId, BATCH)).forEach(this::dispatch);
  }

  private void dispatch(Command c) {
    if (c.status() != CommandStatus.QUEUED && c.status() != CommandStatus.SENT) {
      return;
    }
    if (!transport.online(c.tenant(), c.deviceId())) {
      return;
    }
    TenantId tenant = c.tenant();
    String id = c.id();
    if (!transport.publish(c, () -> worker.execute(() -> safely(() -> delivered(tenant, id))))) {
      return; // connected, not subscribed yet: the next tick tries again
    }
    Command next = c.moved(CommandStatus.SENT, clock.instant(), Optional.empty());
    if (write(next, c.version())) {
      metrics.sent(c.mode());
      LOG.debug("Command {} sent to device {} of tenant {} (attempt {})", id, c.deviceId(), tenant, next.attempts());
    }
  }

  private void delivered(TenantId tenant, String id) {
    store.read(tx -> tx.commands().find(tenant, id))
        .filter(c -> c.status() == CommandStatus.SENT || c.status() == CommandStatus.QUEUED)
        .ifPresent(c -> write(c.moved(CommandStatus.DELIVERED, clock.instant(), Optional.empty()), c.version()));
  }

  private Optional<Command> end(Command c, CommandStatus status, String why) {
    Command next = c.moved(status, clock.instant(), Optional.of(why));
    if (!write(next, c.version())) {
      return Optional.empty();
    }
    finished(next);
    return Optional.of(next);
  }

  private void finished(Command ended) {
    // From the send, not from creation: a queued command may wait hours for its device.
    metrics.finished(ended.mode(), ended.status(), Duration.between(ended.sentAt().orElse(ended.createdAt()),
        ended.completedAt().orElse(ended.updatedAt())));
    CompletableFuture<Command> waiter = waiters.remove(key(ended.tenant(), ended.id()));
    if (waiter != null) {
      waiter.complete(ended);
    }
  }

  private static String timedOutWhy(Command c) {
    return c.status() == CommandStatus.DELIVERED || c.status() == CommandStatus.SENT
        ? "the device did not answer in time" : "the command did not reach the device in time";
  }

  private boolean write(Command next, long expectedVersion) {
    boolean written = store.write(tx -> tx.commands().update(next, expectedVersion));
    if (written) {
      announce(next);
    }
    return written;
  }

  /** Publishes {@value #STATUS_CHANGED} for a command just written. */
  void announce(Command c) {
    events.publish(new DomainEvent(c.tenant(), STATUS_CHANGED, "command", c.id(), c.updatedAt(), Json.object()
        .put("deviceId", c.deviceId()).put("mode", c.mode().wireName()).put("status", c.status().wireName())
        .put("attempts", c.attempts())));
  }

  private Optional<Command> current(Command c) {
    return store.read(tx -> tx.commands().find(c.tenant(), c.id()));
  }

  private static String key(TenantId tenant, String id) {
    return tenant.value() + '/' + id;
  }

  private static void safely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.warn("Command dispatching failed; it is tried again on the next tick: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        LOG.debug("Unsubscribing the command dispatcher failed: {}", e.toString());
      }
    }
    worker.shutdownNow();
    waiters.values().forEach(w -> w.cancel(false));
  }
}
