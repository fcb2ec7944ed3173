package io.flotilla.gateway.identity;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.service.DeviceAuthentication;
import io.flotilla.core.service.DeviceAuthentication.Refusal;
import io.flotilla.core.service.DeviceAuthentication.Result;
import io.flotilla.core.service.ProvisioningService;
import io.flotilla.core.service.ProvisioningService.ClaimCheck;
import io.flotilla.core.service.TokenService;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.auth.AuthDecision;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ConnectInfo;
import io.flotilla.gateway.mqtt.auth.MqttAuthenticator;
import io.flotilla.gateway.mqtt.auth.RefusalReason;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Authenticates MQTT clients against the registry, in this order: a TLS client certificate
 * registered to a device, or signed by an active CA a tenant registered (the device is then registered just in
 * time); a device token ({@code fdt_…}) as password with the device id as user
 * name; any other password as an API token (applications and dashboards; user name free);
 * otherwise anonymous when allowed. A device must use its id as client id, so that its session
 * and namespace are its own.
 *
 * <p>Once provisioning by claim is on ({@link #acceptClaims}), a claim certificate of an enrollment group, or
 * the user name {@code provision:<group>:<device id>} with a symmetric-key proof as password, makes a
 * {@link ClientIdentity.Kind#PROVISIONING PROVISIONING} client, which may do nothing but ask for a device.
 */
public final class RegistryAuthenticator implements MqttAuthenticator {
  private final DeviceAuthentication devices;
  private final TokenService tokens;
  private final boolean allowAnonymous;
  private volatile Optional<ProvisioningService> provisioning = Optional.empty();

  public RegistryAuthenticator(DeviceAuthentication devices, TokenService tokens, boolean allowAnonymous) {
    this.devices = devices;
    this.tokens = tokens;
    this.allowAnonymous = allowAnonymous;
  }

  /** From now on, claims of enrollment groups are accepted as provisioning clients. */
  public void acceptClaims(ProvisioningService service) {
    provisioning = Optional.of(service);
  }

  @Override
  public AuthDecision authenticate(ConnectInfo info) {
    Optional<ProvisioningService> claims = provisioning;
    if (claims.isPresent() && info.username().filter(ProvisioningService::isProofUser).isPresent()) {
      String password = info.password().map(p -> new String(p, StandardCharsets.UTF_8)).orElse("");
      return claim(claims.get().bySymmetricKey(info.username().get(), password), info);
    }
    if (info.certificateChain().isPresent() && !info.certificateChain().get().isEmpty()) {
      X509Certificate leaf = info.certificateChain().get().get(0);
      if (claims.isPresent()) {
        ClaimCheck check = claims.get().byClaimCertificate(leaf);
        if (!(check instanceof ClaimCheck.NotAClaim)) {
          return claim(check, info);
        }
      }
      Result result = devices.byCertificate(leaf);
      if (result instanceof Result.Accepted || info.password().isEmpty()) {
        return device(result, info);
      }
    }
    if (info.password().isPresent()) {
      String secret = new String(info.password().get(), StandardCharsets.UTF_8);
      if (!secret.startsWith(TokenSecrets.DEVICE_TOKEN_PREFIX)) {
        return application(secret);
      }
      if (info.username().isEmpty()) {
        return AuthDecision.refuse(RefusalReason.BAD_USERNAME_OR_PASSWORD, "a device token needs the device id as "
            + "user name");
      }
      return device(devices.byToken(info.username().get(), secret), info);
    }
    if (allowAnonymous) {
      return AuthDecision.accept(ClientIdentity.anonymous(TenantId.DEFAULT.value()));
    }
    return AuthDecision.refuse(RefusalReason.NOT_AUTHORIZED, "no credentials, and anonymous clients are not allowed");
  }

  private static AuthDecision device(Result result, ConnectInfo info) {
    return switch (result) {
      case Result.Accepted accepted when !accepted.device().value().equals(info.clientId()) ->
          AuthDecision.refuse(RefusalReason.CLIENT_IDENTIFIER_NOT_VALID, "device '" + accepted.device()
              + "' must connect with its id as client id, not '" + info.clientId() + "'");
      case Result.Accepted accepted ->
          AuthDecision.accept(ClientIdentity.device(accepted.tenant().value(), accepted.device().value(),
              accepted.profile(), accepted.credentialId()));
      case Result.Refused refused -> AuthDecision.refuse(reasonFor(refused.refusal()), refused.detail());
    };
  }

  private static AuthDecision claim(ClaimCheck check, ConnectInfo info) {
    return switch (check) {
      case ClaimCheck.Claimed claimed when !isTopicLevel(info.clientId()) ->
          AuthDecision.refuse(RefusalReason.CLIENT_IDENTIFIER_NOT_VALID, "a provisioning client needs a client id "
              + "without '/', '+' or '#': it names its response topics $provisioning/responses/<client id>/…");
      case ClaimCheck.Claimed claimed -> AuthDecision.accept(ClientIdentity.provisioning(info.clientId(),
          claimed.claim()));
      case ClaimCheck.Refused refused -> AuthDecision.refuse(RefusalReason.BAD_USERNAME_OR_PASSWORD,
          "provisioning claim refused: " + refused.detail());
      case ClaimCheck.NotAClaim none -> AuthDecision.refuse(RefusalReason.BAD_USERNAME_OR_PASSWORD,
          "no provisioning claim");
    };
  }

  private static boolean isTopicLevel(String clientId) {
    return !clientId.isEmpty() && clientId.indexOf('/') < 0 && clientId.indexOf('+') < 0 && clientId.indexOf('#') < 0;
  }

  private AuthDecision application(String secret) {
    try {
      Principal principal = tokens.authenticate(secret);
      String tenant = principal.tenant().value();
      return AuthDecision.accept(principal.role().allows(Permission.REGISTRY_WRITE)
          ? ClientIdentity.application(tenant, principal.actor())
          : ClientIdentity.readOnlyApplication(tenant, principal.actor()));
    } catch (UnauthorizedException e) {
      return AuthDecision.refuse(RefusalReason.BAD_USERNAME_OR_PASSWORD, "API token refused: " + e.getMessage());
    }
  }

  /**
   * Unknown or revoked credentials are "bad user name or password"; a suspended device, one pending approval,
   * or a certificate a registered CA signed that cannot register a device is "not authorized" (it may be let in
   * later); a decommissioned one is "banned" (it never will be).
   */
  static RefusalReason reasonFor(Refusal refusal) {
    return switch (refusal) {
      case BAD_CREDENTIALS, WRONG_DEVICE, CREDENTIAL_REVOKED, CERTIFICATE_EXPIRED ->
          RefusalReason.BAD_USERNAME_OR_PASSWORD;
      case DEVICE_SUSPENDED, DEVICE_PENDING, REGISTRATION_REFUSED -> RefusalReason.NOT_AUTHORIZED;
      case DEVICE_DECOMMISSIONED -> RefusalReason.BANNED;
    };
  }
}
