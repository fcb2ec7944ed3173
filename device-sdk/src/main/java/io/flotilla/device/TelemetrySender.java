package io.flotilla.device;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Moves telemetry from the buffer to the platform: up to {@code window} QoS 1 PUBLISHes in flight, in
 * sequence order, on the current connection. A PUBACK with reason 0 or 0x99 (refused for good) ends a
 * message; the buffer's acknowledged position moves over every finished message at its head. Any other
 * failure leaves the message in the buffer and asks for a new connection, after which sending starts
 * again from the oldest unacknowledged message (so a message may be sent twice, never skipped).
 */
final class TelemetrySender {
  static final int PAYLOAD_FORMAT_INVALID = 0x99;
  /** Paho's "too many publishes in progress": the server's receive maximum is below the window; wait for a PUBACK. */
  static final int PAHO_MAX_IN_FLIGHT = 32202;

  private final TelemetryBuffer buffer;
  private final String topic;
  private final int window;
  private final DeviceListener listener;
  private final Consumer<String> reconnect;
  private final Set<Long> inFlight = new HashSet<>();
  private final Set<Long> finished = new HashSet<>();
  private MqttAsyncClient client;
  private long generation;
  private long nextToSend;

  TelemetrySender(TelemetryBuffer buffer, String topic, int window, DeviceListener listener,
      Consumer<String> reconnect) {
    this.buffer = buffer;
    this.topic = topic;
    this.window = window;
    this.listener = listener;
    this.reconnect = reconnect;
  }

  synchronized void connected(MqttAsyncClient connectedClient) {
    generation++;
    client = connectedClient;
    inFlight.clear();
    finished.clear();
    nextToSend = buffer.firstUnacknowledged();
    pump();
  }

  synchronized void disconnected() {
    generation++;
    client = null;
    inFlight.clear();
    finished.clear();
  }

  /** Sends what the window allows; called after an append, an acknowledgement and a connect. */
  synchronized void pump() {
    while (client != null && inFlight.size() < window) {
      List<BufferedMessage> batch = buffer.read(nextToSend, window - inFlight.size());
      if (batch.isEmpty()) {
        return;
      }
      for (BufferedMessage m : batch) {
        if (!send(m)) {
          return;
        }
      }
    }
  }

  private boolean send(BufferedMessage m) {
    MqttMessage message = new MqttMessage(m.payload(), 1, false, null);
    long sentOn = generation;
    try {
      client.publish(topic, message, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          int code = codes == null || codes.length == 0 ? 0 : codes[0];
          String reason = token.getResponseProperties() == null ? null
              : token.getResponseProperties().getReasonString();
          acknowledged(sentOn, m.seq(), code, reason);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          failed(sentOn, "publishing telemetry failed: " + e.getMessage());
        }
      });
    } catch (MqttException e) {
      if (e.getReasonCode() != PAHO_MAX_IN_FLIGHT) {
        failed(sentOn, "publishing telemetry failed: " + e.getMessage());
      }
      return false;
    }
    inFlight.add(m.seq());
    nextToSend = m.seq() + 1;
    return true;
  }

  private synchronized void acknowledged(long sentOn, long seq, int code, String reason) {
    if (sentOn != generation) {
      return;
    }
    if (code >= 0x80 && code != PAYLOAD_FORMAT_INVALID) {
      failed(sentOn, "the platform did not store telemetry seq " + seq + " (reason 0x" + Integer.toHexString(code)
          + (reason == null ? "" : ": " + reason) + "); it stays buffered and is sent again after reconnecting");
      return;
    }
    inFlight.remove(seq);
    finished.add(seq);
    long first = buffer.firstUnacknowledged();
    long upTo = first - 1;
    while (finished.remove(upTo + 1)) {
      upTo++;
    }
    if (upTo >= first) {
      buffer.acknowledge(upTo);
    }
    if (code == PAYLOAD_FORMAT_INVALID) {
      listener.telemetryRefused(seq, reason == null ? "payload refused (0x99)" : reason);
    } else {
      listener.telemetryAcknowledged(seq);
    }
    pump();
  }

  private synchronized void failed(long sentOn, String why) {
    if (sentOn != generation || client == null) {
      return;
    }
    disconnected();
    reconnect.accept(why);
  }

  synchronized int inFlight() {
    return inFlight.size();
  }
}
