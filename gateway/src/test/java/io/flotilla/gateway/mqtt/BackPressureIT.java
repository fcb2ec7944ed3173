package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.flotilla.gateway.mqtt.store.InMemoryBrokerStateStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A publisher faster than its subscriber is slowed down to the subscriber's pace: an online subscriber
 * loses nothing even though its queue bound is far smaller than the burst.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureIT {

  /** 300 QoS 1 messages through a queue bound of 20 to a subscriber that acknowledges slowly. */
  @Test
  void fastPublisherIsSlowedInsteadOfMessagesDropped() throws Exception {
    try (TestBroker broker = TestBroker.start(c -> c.withMaxQueuedPerSession(20), new InMemoryBrokerStateStore(),
        ConnectionListener.NONE)) {
      Mqtt5AsyncClient sub = Mqtt5Client.builder().identifier("slow-sub").serverHost("127.0.0.1")
          .serverPort(broker.port()).buildAsync();
      sub.connectWith().restrictions().receiveMaximum(5).applyRestrictions().send().get();
      List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
      ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();
      sub.publishes(MqttGlobalPublishFilter.ALL, p -> {
        received.add(p);
        slow.schedule(p::acknowledge, 2, TimeUnit.MILLISECONDS);
      }, true);
      sub.subscribeWith().topicFilter("burst/t").qos(MqttQos.AT_LEAST_ONCE).send().get();
      Mqtt5AsyncClient pub = Mqtt5Client.builder().identifier("fast-pub").serverHost("127.0.0.1")
          .serverPort(broker.port()).buildAsync();
      pub.connect().get();
      CompletableFuture<?> last = null;
      for (int i = 0; i < 300; i++) {
        last = pub.publishWith().topic("burst/t").payload(new byte[] {(byte) i}).qos(MqttQos.AT_LEAST_ONCE).send();
      }
      last.get(30, TimeUnit.SECONDS);
      await().atMost(30, TimeUnit.SECONDS).until(() -> received.size() == 300);
      for (int i = 0; i < 300; i++) {
        assertThat(received.get(i).getPayloadAsBytes()[0]).isEqualTo((byte) i);
      }
      assertThat(broker.meters.find("flotilla.mqtt.messages.dropped").counters()).isEmpty();
      slow.shutdownNow();
      pub.disconnect().get();
      sub.disconnect().get();
    }
  }
}
