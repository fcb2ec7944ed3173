package io.flotilla.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.core.broker.UserProperty;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * How broker state maps to rows: the message columns that {@code broker_retained} and
 * {@code broker_queue} share, the JSON of user properties and subscriptions, and the hashed keys
 * that stand in for topics and client ids of any length.
 */
final class BrokerRows {
  /** The message columns, in the order of {@link #values(BrokerMessage)}. */
  static final String MESSAGE_COLUMNS = "topic, payload, qos, retain_flag, expires_at, content_type, response_topic, "
      + "correlation_data, payload_utf8, user_properties, received_at";
  static final String MESSAGE_PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

  private BrokerRows() {}

  /** The key of a topic or client id: SHA-256 of its UTF-8 bytes in hex, short enough for every index. */
  static String hash(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  static Object[] values(BrokerMessage m) {
    return new Object[] {m.topic(), m.payload(), m.qos(), m.retain(), Millis.ofOptional(m.expiresAt()),
        m.contentType().orElse(null), m.responseTopic().orElse(null), m.correlationData().orElse(null),
        m.payloadUtf8(), userProperties(m.userProperties()), Millis.of(m.receivedAt())};
  }

  /** The values to bind: {@code leading}, then the message's columns, then {@code trailing}. */
  static Object[] bind(Object[] leading, BrokerMessage message, Object... trailing) {
    Object[] columns = values(message);
    Object[] all = new Object[leading.length + columns.length + trailing.length];
    System.arraycopy(leading, 0, all, 0, leading.length);
    System.arraycopy(columns, 0, all, leading.length, columns.length);
    System.arraycopy(trailing, 0, all, leading.length + columns.length, trailing.length);
    return all;
  }

  static BrokerMessage message(ResultSet row, String table) throws SQLException {
    return new BrokerMessage(row.getString("topic"), row.getBytes("payload"), row.getInt("qos"),
        row.getBoolean("retain_flag"), Millis.readOptional(row, "expires_at"),
        Optional.ofNullable(row.getString("content_type")), Optional.ofNullable(row.getString("response_topic")),
        Optional.ofNullable(row.getBytes("correlation_data")), row.getBoolean("payload_utf8"),
        userProperties(table + ".user_properties", row.getString("user_properties")),
        Millis.read(row, "received_at"));
  }

  static String userProperties(List<UserProperty> properties) {
    ArrayNode array = Json.array();
    properties.forEach(p -> array.addArray().add(p.key()).add(p.value()));
    return Json.write(array);
  }

  static List<UserProperty> userProperties(String column, String text) {
    List<UserProperty> properties = new ArrayList<>();
    for (JsonNode pair : array(column, text)) {
      if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
        throw corrupt(column, "a [key, value] pair of strings", null);
      }
      properties.add(new UserProperty(pair.get(0).textValue(), pair.get(1).textValue()));
    }
    return properties;
  }

  static String subscriptions(List<SubscriptionState> subscriptions) {
    ArrayNode array = Json.array();
    for (SubscriptionState s : subscriptions) {
      ObjectNode node = array.addObject().put("filter", s.topicFilter()).put("qos", s.qos())
          .put("noLocal", s.noLocal()).put("retainAsPublished", s.retainAsPublished())
          .put("retainHandling", s.retainHandling());
      s.subscriptionIdentifier().ifPresent(id -> node.put("id", id));
    }
    return Json.write(array);
  }

  static List<SubscriptionState> subscriptions(String text) {
    String column = "broker_sessions.subscriptions";
    List<SubscriptionState> subscriptions = new ArrayList<>();
    for (JsonNode node : array(column, text)) {
      if (!node.path("filter").isTextual() || !node.path("qos").isInt() || !node.path("noLocal").isBoolean()
          || !node.path("retainAsPublished").isBoolean() || !node.path("retainHandling").isInt()
          || !(node.path("id").isMissingNode() || node.path("id").isInt())) {
        throw corrupt(column, "a subscription object", null);
      }
      subscriptions.add(new SubscriptionState(node.get("filter").textValue(), node.get("qos").intValue(),
          node.get("noLocal").booleanValue(), node.get("retainAsPublished").booleanValue(),
          node.get("retainHandling").intValue(),
          node.has("id") ? Optional.of(node.get("id").intValue()) : Optional.empty()));
    }
    return subscriptions;
  }

  private static ArrayNode array(String column, String text) {
    try {
      if (Json.MAPPER.readTree(text) instanceof ArrayNode array) {
        return array;
      }
    } catch (JsonProcessingException e) {
      throw corrupt(column, "a JSON array", e);
    }
    throw corrupt(column, "a JSON array", null);
  }

  private static StoreException corrupt(String column, String expected, Exception cause) {
    return new StoreException("The registry database holds a value in " + column + " that is not " + expected
        + "; the row was changed outside Flotilla", cause);
  }
}
