package io.flotilla.gateway.mqtt.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.provisioning.ProvisioningClaim;
import io.flotilla.core.tenant.TenantId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The topic namespace rules for devices, applications and anonymous clients. */
class NamespaceAuthorizerTest {

  private final NamespaceAuthorizer authorizer = new NamespaceAuthorizer();
  private final ClientIdentity device = ClientIdentity.device("acme", "d1");
  private final ClientIdentity app = ClientIdentity.application("acme", "console");
  private final ClientIdentity anonymous = ClientIdentity.anonymous("acme");

  @Test
  void deviceStaysInItsNamespace() {
    assertThat(authorizer.mayPublish(device, "devices/d1/telemetry")).isTrue();
    assertThat(authorizer.mayPublish(device, "devices/d1")).isTrue();
    assertThat(authorizer.mayPublish(device, "devices/d10/telemetry")).isFalse();
    assertThat(authorizer.mayPublish(device, "devices/d2/telemetry")).isFalse();
    assertThat(authorizer.mayPublish(device, "lobby")).isFalse();
    assertThat(authorizer.maySubscribe(device, "devices/d1/#")).isTrue();
    assertThat(authorizer.maySubscribe(device, "devices/d1/+/x")).isTrue();
    assertThat(authorizer.maySubscribe(device, "devices/+/commands")).isFalse();
    assertThat(authorizer.maySubscribe(device, "devices/#")).isFalse();
    assertThat(authorizer.maySubscribe(device, "#")).isFalse();
  }

  @Test
  void deviceIdsWithWildcardsOwnNothing() {
    ClientIdentity odd = ClientIdentity.device("acme", "+");
    assertThat(authorizer.maySubscribe(odd, "devices/+/#")).isFalse();
    assertThat(authorizer.mayPublish(odd, "devices/+/x")).isFalse();
  }

  @Test
  void applicationUsesEverything() {
    assertThat(authorizer.maySubscribe(app, "#")).isTrue();
    assertThat(authorizer.mayPublish(app, "devices/d1/commands")).isTrue();
  }

  /** A viewer's token reads the whole tenant but may not publish anything, device commands least of all. */
  @Test
  void readOnlyApplicationSubscribesButNeverPublishes() {
    ClientIdentity viewer = ClientIdentity.readOnlyApplication("acme", "user:vera/token:t1");
    assertThat(authorizer.maySubscribe(viewer, "#")).isTrue();
    assertThat(authorizer.maySubscribe(viewer, "devices/+/telemetry")).isTrue();
    assertThat(authorizer.mayPublish(viewer, "devices/d1/commands")).isFalse();
    assertThat(authorizer.mayPublish(viewer, "lobby/chat")).isFalse();
  }

  @Test
  void anonymousNeverTouchesDeviceTopics() {
    assertThat(authorizer.mayPublish(anonymous, "lobby/chat")).isTrue();
    assertThat(authorizer.mayPublish(anonymous, "devices/d1/x")).isFalse();
    assertThat(authorizer.maySubscribe(anonymous, "lobby/#")).isTrue();
    assertThat(authorizer.maySubscribe(anonymous, "devices/#")).isFalse();
    assertThat(authorizer.maySubscribe(anonymous, "#")).isFalse();
    assertThat(authorizer.maySubscribe(anonymous, "+/d1/x")).isFalse();
    assertThat(authorizer.maySubscribe(anonymous, "devicesX/y")).isTrue();
  }

  /**
   * A provisioning client publishes its requests and reads its own answers, nothing else; and nobody else, not even
   * an application of the tenant, touches $provisioning/… (the answers carry device tokens).
   */
  @Test
  void provisioningClientsOnlyProvisionAndOnlyThey() {
    ClientIdentity claimer = ClientIdentity.provisioning("factory-7",
        new ProvisioningClaim(new TenantId("acme"), "eg_1", Optional.empty(), "claim-certificate:claim_1"));
    assertThat(authorizer.mayPublish(claimer, "$provisioning/register")).isTrue();
    assertThat(authorizer.maySubscribe(claimer, "$provisioning/responses/factory-7/#")).isTrue();
    assertThat(authorizer.maySubscribe(claimer, "$provisioning/responses/factory-7/accepted")).isTrue();
    assertThat(authorizer.maySubscribe(claimer, "$provisioning/responses/factory-8/#")).isFalse();
    assertThat(authorizer.maySubscribe(claimer, "$provisioning/responses/+/#")).isFalse();
    assertThat(authorizer.maySubscribe(claimer, "$provisioning/responses/factory-7")).isFalse();
    assertThat(authorizer.maySubscribe(claimer, "$provisioning/#")).isFalse();
    assertThat(authorizer.mayPublish(claimer, "devices/d1/telemetry")).isFalse();
    assertThat(authorizer.mayPublish(claimer, "$provisioning/responses/factory-7/accepted")).isFalse();
    assertThat(authorizer.maySubscribe(claimer, "devices/d1/#")).isFalse();
    assertThat(authorizer.maySubscribe(claimer, "#")).isFalse();
    assertThat(authorizer.mayPublish(claimer, "lobby")).isFalse();

    assertThat(authorizer.maySubscribe(app, "$provisioning/responses/factory-7/#")).isFalse();
    assertThat(authorizer.mayPublish(app, "$provisioning/register")).isFalse();
    assertThat(authorizer.maySubscribe(anonymous, "$provisioning/#")).isFalse();
    assertThat(authorizer.mayPublish(anonymous, "$provisioning/register")).isFalse();
    assertThat(authorizer.mayPublish(device, "$provisioning/register")).isFalse();
  }
}
