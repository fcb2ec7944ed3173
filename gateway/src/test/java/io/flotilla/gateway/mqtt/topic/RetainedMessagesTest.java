package io.flotilla.gateway.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.broker.BrokerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retained-message tree answers filters like the subscription tree answers topics. */
class RetainedMessagesTest {

  private final RetainedMessages retained = new RetainedMessages();

  private static BrokerMessage message(String topic) {
    return new BrokerMessage(topic, new byte[] {1}, 1, true, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, List.of(), Instant.EPOCH);
  }

  private List<String> match(String filter) {
    List<String> topics = new ArrayList<>();
    retained.match(filter, m -> topics.add(m.topic()));
    return topics;
  }

  @Test
  void filtersFindTheirRetainedMessages() {
    for (String t : List.of("a", "a/b", "a/b/c", "x/b", "$SYS/up", "/lead")) {
      retained.put(message(t));
    }
    assertThat(match("a/#")).containsExactlyInAnyOrder("a", "a/b", "a/b/c");
    assertThat(match("+/b")).containsExactlyInAnyOrder("a/b", "x/b");
    assertThat(match("#")).containsExactlyInAnyOrder("a", "a/b", "a/b/c", "x/b", "/lead");
    assertThat(match("$SYS/#")).containsExactly("$SYS/up");
    assertThat(match("+/lead")).containsExactly("/lead");
    assertThat(match("a/b")).containsExactly("a/b");
    assertThat(retained.size()).isEqualTo(6);
  }

  @Test
  void replacingAndRemovingKeepsOnePerTopic() {
    retained.put(message("t"));
    retained.put(message("t"));
    assertThat(retained.size()).isEqualTo(1);
    assertThat(retained.remove("t")).isTrue();
    assertThat(retained.remove("t")).isFalse();
    assertThat(match("#")).isEmpty();
    assertThat(retained.size()).isZero();
  }
}
