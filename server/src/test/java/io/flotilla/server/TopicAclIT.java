package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant topic rules on the real server with real clients: devices (Eclipse Paho, MQTT 5) get ordinary
 * topics their tenant's rules grant, and nothing else; an application (mosquitto_sub) receives what they publish.
 */
@Timeout(120)
class TopicAclIT {
  private static final int NOT_AUTHORIZED = 0x87;
  private static final String RULES = "/api/v1/acl/rules";

  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  final List<MqttAsyncClient> clients = new ArrayList<>();

  @BeforeEach
  void startServerWithPumpsAndAValve() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    admin.post("/api/v1/device-profiles", "{\"id\":\"valve\"}");
    for (String[] device : new String[][] {{"A", "pump"}, {"B", "pump"}, {"V", "valve"}}) {
      admin.post("/api/v1/devices", "{\"id\":\"" + device[0] + "\",\"profile\":\"" + device[1] + "\"}");
    }
  }

  @AfterEach
  void stop() throws MqttException {
    for (MqttAsyncClient client : clients) {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close();
    }
    server.close();
  }

  /**
   * Without a rule a device's publish to fleet/alerts gets PUBACK 0x87; once a rule grants it, the same
   * connection publishes and an application receives it; once the rule is deleted, its next publish is refused.
   */
  @Test
  void ruleGrantsPublishToConnectedDeviceUntilItIsDeleted() throws Exception {
    MqttAsyncClient deviceA = device(admin, "A");
    assertThat(publish(deviceA, "fleet/alerts", "before")).isEqualTo(NOT_AUTHORIZED);

    ApiClient.Response rule = admin.post(RULES, "{\"id\":\"alerts\",\"topicFilter\":\"fleet/alerts\","
        + "\"actions\":[\"publish\"]}");
    assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
    server.gateway().awaitTopicRulesReloaded();

    List<String> sub = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv5", "dashboard", "app",
        TestServers.ADMIN_TOKEN);
    sub.addAll(List.of("-t", "fleet/alerts", "-v", "-C", "1", "-W", "8"));
    MosquittoClients.Started dashboard = MosquittoClients.start(sub.toArray(String[]::new));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.gateway().broker().sessions("default").stream()
        .anyMatch(s -> s.clientId().equals("dashboard")));
    assertThat(publish(deviceA, "fleet/alerts", "overheating")).isZero();
    assertThat(MosquittoClients.finish(dashboard).output()).contains("fleet/alerts overheating");

    assertThat(admin.delete(RULES + "/alerts").status()).isEqualTo(204);
    server.gateway().awaitTopicRulesReloaded();
    assertThat(publish(deviceA, "fleet/alerts", "after")).isEqualTo(NOT_AUTHORIZED);
    assertThat(publish(deviceA, "devices/A/status", "{}")).isZero();
  }

  /** A rule for the pump profile lets pumps publish and subscribe there, and a valve neither. */
  @Test
  void profileRuleDoesNotApplyToADeviceOfAnotherProfile() throws Exception {
    admin.post(RULES, "{\"topicFilter\":\"pumps/#\",\"actions\":[\"publish\",\"subscribe\"],\"profileId\":\"pump\"}");
    server.gateway().awaitTopicRulesReloaded();
    MqttAsyncClient pump = device(admin, "A");
    MqttAsyncClient valve = device(admin, "V");
    assertThat(publish(pump, "pumps/pressure", "3.1")).isZero();
    assertThat(publish(valve, "pumps/pressure", "3.1")).isEqualTo(NOT_AUTHORIZED);
    assertThat(subscribe(pump, "pumps/+")).isEqualTo(1);
    assertThat(subscribe(valve, "pumps/+")).isEqualTo(NOT_AUTHORIZED);
  }

  /** A {deviceId} rule lets A use status/A but not status/B, for publishing and subscribing alike. */
  @Test
  void deviceIdRuleConfinesEachDeviceToItsOwnTopic() throws Exception {
    admin.post(RULES, "{\"topicFilter\":\"status/{deviceId}\",\"actions\":[\"publish\",\"subscribe\"]}");
    server.gateway().awaitTopicRulesReloaded();
    MqttAsyncClient deviceA = device(admin, "A");
    assertThat(publish(deviceA, "status/A", "up")).isZero();
    assertThat(publish(deviceA, "status/B", "spoofed")).isEqualTo(NOT_AUTHORIZED);
    assertThat(subscribe(deviceA, "status/A")).isEqualTo(1);
    assertThat(subscribe(deviceA, "status/B")).isEqualTo(NOT_AUTHORIZED);
    assertThat(subscribe(deviceA, "status/+")).isEqualTo(NOT_AUTHORIZED);
  }

  /** A rule in tenant acme opens fleet/# to acme's devices only, not to a device of the default tenant. */
  @Test
  void anotherTenantsRuleGrantsNothing() throws Exception {
    ApiClient acme = tenantWithDeviceA();
    assertThat(acme.post(RULES, "{\"topicFilter\":\"fleet/#\",\"actions\":[\"publish\"]}").status()).isEqualTo(201);
    server.gateway().awaitTopicRulesReloaded();
    MqttAsyncClient acmeA = device(acme, "A");
    MqttAsyncClient defaultA = device(admin, "A");
    assertThat(publish(acmeA, "fleet/alerts", "acme's")).isZero();
    assertThat(publish(defaultA, "fleet/alerts", "default's")).isEqualTo(NOT_AUTHORIZED);
  }

  /** A deleted tenant's rules leave the gateway's memory: a new tenant of the same id inherits none of them. */
  @Test
  void recreatedTenantInheritsNoRules() throws Exception {
    ApiClient acme = tenantWithDeviceA();
    assertThat(acme.post(RULES, "{\"topicFilter\":\"fleet/#\",\"actions\":[\"publish\"]}").status()).isEqualTo(201);
    server.gateway().awaitTopicRulesReloaded();
    MqttAsyncClient before = device(acme, "A");
    assertThat(publish(before, "fleet/alerts", "old tenant")).isZero();
    before.disconnect().waitForCompletion(5_000);

    assertThat(admin.delete("/api/v1/tenants/acme").status()).isEqualTo(204);
    ApiClient reborn = tenantWithDeviceA();
    server.gateway().awaitTopicRulesReloaded();
    assertThat(reborn.get(RULES).json().path("items")).isEmpty();
    assertThat(publish(device(reborn, "A"), "fleet/alerts", "new tenant")).isEqualTo(NOT_AUTHORIZED);
  }

  private ApiClient tenantWithDeviceA() {
    ApiClient acme = admin.as(admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json().path("adminToken")
        .path("token").asText());
    acme.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    acme.post("/api/v1/devices", "{\"id\":\"A\",\"profile\":\"pump\"}");
    return acme;
  }

  /** Creating a rule that reaches into device namespaces or everything is refused, and grants nothing. */
  @Test
  void rulesIntoDeviceNamespacesAreRefusedAndGrantNothing() throws Exception {
    assertThat(admin.post(RULES, "{\"topicFilter\":\"devices/#\",\"actions\":[\"publish\",\"subscribe\"]}").status())
        .isEqualTo(422);
    assertThat(admin.post(RULES, "{\"topicFilter\":\"#\",\"actions\":[\"publish\",\"subscribe\"]}").status())
        .isEqualTo(422);
    server.gateway().awaitTopicRulesReloaded();
    MqttAsyncClient deviceA = device(admin, "A");
    assertThat(publish(deviceA, "devices/B/commands", "{}")).isEqualTo(NOT_AUTHORIZED);
    assertThat(subscribe(deviceA, "#")).isEqualTo(NOT_AUTHORIZED);
  }

  /** Connects a device of the API's tenant with a fresh token, as an MQTT 5 client. */
  private MqttAsyncClient device(ApiClient api, String id) throws MqttException {
    String token = api.post("/api/v1/devices/" + id + "/credentials", "{}").json().path("token").asText();
    MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + server.mqttPort(), id, new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(id);
    options.setPassword(token.getBytes(StandardCharsets.UTF_8));
    options.setAutomaticReconnect(false);
    options.setCleanStart(true);
    options.setConnectionTimeout(5);
    client.connect(options).waitForCompletion(10_000);
    clients.add(client);
    return client;
  }

  /** Publishes at QoS 1 and returns the PUBACK's reason code. */
  private static int publish(MqttAsyncClient client, String topic, String payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    IMqttToken token = client.publish(topic, message);
    try {
      token.waitForCompletion(10_000);
    } catch (MqttException e) {
      return e.getReasonCode();
    }
    int[] codes = token.getReasonCodes();
    return codes == null || codes.length == 0 ? 0 : codes[0];
  }

  /** Subscribes at QoS 1 and returns the SUBACK's reason code (1 when granted at QoS 1). */
  private static int subscribe(MqttAsyncClient client, String filter) throws MqttException {
    IMqttToken token = client.subscribe(new MqttSubscription(filter, 1));
    try {
      token.waitForCompletion(10_000);
    } catch (MqttException e) {
      return e.getReasonCode();
    }
    return token.getReasonCodes()[0];
  }
}
