package io.flotilla.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterceptorChainTest {
  private final ClientIdentity device = ClientIdentity.device("acme", "d1");

  @Test
  void theFirstMemberThatTakesAMessageDecidesItAndLaterOnesNeverSeeIt() {
    List<String> seen = new ArrayList<>();
    InterceptorChain chain = new InterceptorChain(taking("telemetry", seen))
        .add(taking("twin", seen)).add(taking("commands", seen));

    Optional<CompletionStage<PublishVerdict>> verdict = chain.intercept(device, message("devices/d1/twin/report"),
        ProtocolVersion.MQTT_5);

    assertTrue(verdict.isPresent());
    assertEquals(List.of("telemetry", "twin"), seen);
    assertTrue(chain.intercept(device, message("devices/d1/other"), ProtocolVersion.MQTT_5).isEmpty());
  }

  @Test
  void resumesOnlyWhenNoMemberIsSaturatedAnyMore() {
    Gate first = new Gate();
    Gate second = new Gate();
    InterceptorChain chain = new InterceptorChain(first).add(second);
    first.saturated = true;
    second.saturated = true;
    AtomicInteger resumed = new AtomicInteger();

    assertTrue(chain.saturated());
    chain.whenUnsaturated(resumed::incrementAndGet);
    first.release();
    assertEquals(0, resumed.get(), "the second member is still saturated");
    second.release();
    assertEquals(1, resumed.get());
    assertFalse(chain.saturated());
  }

  private static BrokerMessage message(String topic) {
    return new BrokerMessage(topic, "{}".getBytes(StandardCharsets.UTF_8), 1, false, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), true, List.of(), Instant.EPOCH);
  }

  private static PublishInterceptor taking(String name, List<String> seen) {
    return new Gate() {
      @Override
      public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
          ProtocolVersion version) {
        seen.add(name);
        return message.topic().contains(name)
            ? Optional.of(CompletableFuture.completedFuture(PublishVerdict.ROUTE)) : Optional.empty();
      }
    };
  }

  private static class Gate implements PublishInterceptor {
    boolean saturated;
    private final List<Runnable> waiting = new ArrayList<>();

    void release() {
      saturated = false;
      List<Runnable> run = List.copyOf(waiting);
      waiting.clear();
      run.forEach(Runnable::run);
    }

    @Override
    public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
        ProtocolVersion version) {
      return Optional.empty();
    }

    @Override
    public boolean saturated() {
      return saturated;
    }

    @Override
    public void whenUnsaturated(Runnable resume) {
      if (saturated) {
        waiting.add(resume);
      } else {
        resume.run();
      }
    }
  }
}
