package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.T0;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.core.broker.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Broker messages and sessions for store tests, with times at whole milliseconds. */
public final class BrokerFixtures {
  /** The longest topic or client id MQTT can carry, in bytes. */
  public static final int MQTT_MAX_STRING_BYTES = 65_535;

  private BrokerFixtures() {}

  /** Every byte value once, in order. */
  public static byte[] allByteValues() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  /** A message with every optional field present, binary fields holding all 256 byte values. */
  public static BrokerMessage fullMessage(String topic) {
    byte[] correlation = allByteValues();
    for (int i = 0; i < correlation.length / 2; i++) {
      byte swap = correlation[i];
      correlation[i] = correlation[correlation.length - 1 - i];
      correlation[correlation.length - 1 - i] = swap;
    }
    return new BrokerMessage(topic, allByteValues(), 2, true, Optional.of(T0.plusSeconds(3600).plusMillis(7)),
        Optional.of("application/octet-stream; charset=ünï"), Optional.of("replies/😀/" + topic),
        Optional.of(correlation), true,
        List.of(new UserProperty("b", "1"), new UserProperty("a", "ä"), new UserProperty("b", "1"),
            new UserProperty("b", "3"), new UserProperty("", "")),
        T0.plusMillis(123));
  }

  /** A message with an empty payload and every optional field empty. */
  public static BrokerMessage bareMessage(String topic) {
    return new BrokerMessage(topic, new byte[0], 0, false, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, List.of(), T0);
  }

  /** A QoS 1 message whose payload names it, for checking order. */
  public static BrokerMessage numbered(String topic, int n) {
    return new BrokerMessage(topic, ("message " + n).getBytes(StandardCharsets.UTF_8), 1, false,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true, List.of(), T0.plusMillis(n));
  }

  /** Text of exactly {@link #MQTT_MAX_STRING_BYTES} ASCII bytes that compresses poorly, ending with {@code suffix}. */
  public static String longText(long seed, String suffix) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(MQTT_MAX_STRING_BYTES);
    while (text.length() < MQTT_MAX_STRING_BYTES - suffix.length()) {
      text.append((char) ('!' + random.nextInt(94)));
    }
    return text.append(suffix).toString();
  }

  /** A disconnected session that never expires, subscribed with every combination of options the tests need. */
  public static SessionState session(String tenant, String clientId) {
    return new SessionState(tenant, clientId, 0xFFFFFFFFL, T0.toEpochMilli(), List.of(
        new SubscriptionState("devices/+/telemetry", 0, false, false, 0, Optional.empty()),
        new SubscriptionState("$share/workers/jobs/#", 1, true, false, 1, Optional.of(1)),
        new SubscriptionState("alerts/ünïcode/😀", 2, false, true, 2, Optional.of(268_435_455)),
        new SubscriptionState("#", 2, true, true, 0, Optional.of(42))));
  }
}
