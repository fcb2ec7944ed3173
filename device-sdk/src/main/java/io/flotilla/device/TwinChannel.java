package io.flotilla.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The device's side of the twin contract: {@code get} and {@code report} requests matched to their
 * {@code …/accepted} or {@code …/rejected} answers by {@code clientToken}, and {@code delta}
 * notifications handed to the listeners, each version once.
 */
final class TwinChannel {
  private final DeviceTopics topics;
  private final BiConsumer<String, byte[]> publisher;
  private final Executor handlers;
  private final Duration timeout;
  private final String tokenPrefix = Long.toString(System.nanoTime() & 0xffffff, 36) + "-";
  private final AtomicLong tokens = new AtomicLong();
  /** clientToken → the request waiting for its answer (insertion order: the oldest first). */
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Map<String, DesiredChangeListener> listeners = new ConcurrentHashMap<>();
  private final Map<String, Long> deliveredVersion = new ConcurrentHashMap<>();

  private record Pending(String twin, String operation, CompletableFuture<JsonNode> answer) {}

  TwinChannel(DeviceTopics topics, BiConsumer<String, byte[]> publisher, Executor handlers, Duration timeout) {
    this.topics = topics;
    this.publisher = publisher;
    this.handlers = handlers;
    this.timeout = timeout;
  }

  void onDesiredChanged(String twin, DesiredChangeListener listener) {
    DeviceTopics.requireTwinName(twin);
    listeners.put(twin, listener);
  }

  CompletableFuture<Twin> get(String twin) {
    DeviceTopics.requireTwinName(twin);
    return request(twin, "get", DeviceJson.object()).thenApply(answer -> toTwin(twin, answer));
  }

  CompletableFuture<Long> report(String twin, ObjectNode patch, Optional<Long> version) {
    DeviceTopics.requireTwinName(twin);
    ObjectNode body = DeviceJson.object();
    body.set("reported", patch.deepCopy());
    version.ifPresent(v -> body.put("version", v));
    return request(twin, "report", body).thenApply(answer -> answer.path("version").asLong());
  }

  private CompletableFuture<JsonNode> request(String twin, String operation, ObjectNode body) {
    String token = tokenPrefix + tokens.incrementAndGet();
    body.put("clientToken", token);
    CompletableFuture<JsonNode> answer = new CompletableFuture<JsonNode>().orTimeout(timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    synchronized (pending) {
      pending.put(token, new Pending(twin, operation, answer));
    }
    answer.whenComplete((r, e) -> {
      synchronized (pending) {
        pending.remove(token);
      }
    });
    try {
      publisher.accept(topics.twin(twin) + "/" + operation, DeviceJson.bytes(body));
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  /** Handles a message on a twin topic; false when the topic is not one of the twin's. */
  boolean handle(String topic, byte[] payload) {
    String rest;
    String twin;
    if (topic.startsWith(topics.base + "/twin/")) {
      twin = DeviceTopics.DEFAULT_TWIN;
      rest = topic.substring((topics.base + "/twin/").length());
    } else if (topic.startsWith(topics.base + "/twins/")) {
      String tail = topic.substring((topics.base + "/twins/").length());
      int slash = tail.indexOf('/');
      if (slash < 0) {
        return false;
      }
      twin = tail.substring(0, slash);
      rest = tail.substring(slash + 1);
    } else {
      return false;
    }
    Optional<ObjectNode> body = DeviceJson.readObject(payload);
    if (body.isEmpty()) {
      System.getLogger(TwinChannel.class.getName()).log(System.Logger.Level.WARNING,
          "Ignored a twin message on " + topic + " that is not a JSON object.");
      return true;
    }
    switch (rest) {
      case "delta" -> delta(twin, body.get());
      case "get/accepted", "report/accepted" -> answer(twin, rest.substring(0, rest.indexOf('/')), body.get(), true);
      case "get/rejected", "report/rejected" -> answer(twin, rest.substring(0, rest.indexOf('/')), body.get(), false);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void delta(String twin, ObjectNode body) {
    DesiredChangeListener listener = listeners.get(twin);
    long version = body.path("version").asLong(-1);
    JsonNode delta = body.path("delta");
    if (listener == null || !(delta instanceof ObjectNode deltaObject) || deltaObject.isEmpty()) {
      return;
    }
    Long before = deliveredVersion.put(twin, version);
    if (before != null && before >= version) {
      deliveredVersion.put(twin, before);
      return;
    }
    handlers.execute(() -> {
      try {
        listener.onDesiredChanged(deltaObject, version);
      } catch (RuntimeException e) {
        System.getLogger(TwinChannel.class.getName()).log(System.Logger.Level.WARNING,
            "The desired-change listener of twin " + twin + " failed on version " + version + ": " + e, e);
      }
    });
  }

  private void answer(String twin, String operation, ObjectNode body, boolean accepted) {
    Pending match;
    synchronized (pending) {
      match = pending.get(body.path("clientToken").asText(""));
      if (match == null) {
        Iterator<Pending> oldest = pending.values().iterator();
        while (oldest.hasNext() && match == null) {
          Pending p = oldest.next();
          if (p.twin().equals(twin) && p.operation().equals(operation)) {
            match = p;
          }
        }
      }
    }
    if (match == null) {
      return;
    }
    if (accepted) {
      match.answer().complete(body);
    } else {
      match.answer().completeExceptionally(new TwinRejectedException(body.path("code").asInt(400),
          body.path("error").asText("rejected"), body.path("message").asText("the platform refused the request")));
    }
  }

  /** Fails every waiting request: the connection that would carry its answer is gone. */
  void connectionLost(String reason) {
    Pending[] waiting;
    synchronized (pending) {
      waiting = pending.values().toArray(Pending[]::new);
    }
    for (Pending p : waiting) {
      p.answer().completeExceptionally(new IllegalStateException("the connection closed before the platform "
          + "answered twin " + p.operation() + ": " + reason));
    }
  }

  private static Twin toTwin(String twin, JsonNode answer) {
    return new Twin(answer.path("name").asText(twin), answer.path("version").asLong(), object(answer, "desired"),
        object(answer, "reported"), object(answer, "delta"), object(answer, "metadata"));
  }

  private static ObjectNode object(JsonNode answer, String field) {
    return answer.get(field) instanceof ObjectNode o ? o : DeviceJson.object();
  }
}
