package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's mosquitto_pub and mosquitto_sub, run as processes against the broker, with both protocol versions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientsIT {

  static TestBroker broker;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")), "mosquitto clients are installed");
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  static List<String> base(String tool, String version) {
    return new ArrayList<>(List.of("/usr/bin/" + tool, "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
        "-V", version));
  }

  static Process subscriber(String version, String id, String filter, int count, String format) throws IOException {
    List<String> cmd = base("mosquitto_sub", version);
    cmd.addAll(List.of("-i", id, "-t", filter, "-q", "2", "-C", Integer.toString(count), "-W", "20", "-F", format));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    await().atMost(10, TimeUnit.SECONDS).until(() -> broker.broker.session("default", id)
        .map(s -> s.subscriptions() == 1).orElse(false));
    return p;
  }

  static void publish(String version, String... args) throws Exception {
    List<String> cmd = base("mosquitto_pub", version);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }

  static List<String> output(Process p) throws Exception {
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  /** Messages at every QoS reach mosquitto_sub from mosquitto_pub. */
  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void publishAndSubscribeAtEveryQos(String version) throws Exception {
    Process sub = subscriber(version, "mosq-sub-" + version, "mosq/" + version + "/#", 3, "%t %q %p");
    for (int qos = 0; qos < 3; qos++) {
      publish(version, "-t", "mosq/" + version + "/q" + qos, "-m", "hello" + qos, "-q", Integer.toString(qos));
    }
    assertThat(output(sub)).containsExactly("mosq/" + version + "/q0 0 hello0", "mosq/" + version + "/q1 1 hello1",
        "mosq/" + version + "/q2 2 hello2");
  }

  /** A retained message reaches a later mosquitto_sub with the retained flag; an empty one clears it. */
  @ParameterizedTest
  @ValueSource(strings = {"mqttv311", "mqttv5"})
  void retainedMessagesReachLateSubscribers(String version) throws Exception {
    String topic = "mosq/retained/" + version;
    publish(version, "-t", topic, "-m", "stay", "-q", "1", "-r");
    List<String> cmd = base("mosquitto_sub", version);
    cmd.addAll(List.of("-t", topic, "-C", "1", "-W", "10", "-F", "%r %p"));
    assertThat(output(new ProcessBuilder(cmd).redirectErrorStream(true).start())).containsExactly("1 stay");
    publish(version, "-t", topic, "-n", "-r");
    List<String> check = base("mosquitto_sub", version);
    check.addAll(List.of("-t", topic, "-C", "1", "-W", "1", "--retained-only"));
    Process p = new ProcessBuilder(check).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("stay");
  }

  /** MQTT 5 user properties and the response topic set by mosquitto_pub reach mosquitto_sub. */
  @ParameterizedTest
  @ValueSource(strings = {"mqttv5"})
  void v5PropertiesPassThrough(String version) throws Exception {
    Process sub = subscriber(version, "mosq-props", "mosq/props", 1, "%P|%R|%p");
    publish(version, "-t", "mosq/props", "-m", "body", "-q", "1", "-D", "publish", "user-property", "origin", "test",
        "-D", "publish", "response-topic", "mosq/reply");
    assertThat(output(sub)).containsExactly("origin:test|mosq/reply|body");
  }
}
