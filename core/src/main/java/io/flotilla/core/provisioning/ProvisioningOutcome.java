package io.flotilla.core.provisioning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import java.util.Objects;
import java.util.Optional;

/** The answer to a provisioning request, the same on MQTT and HTTP. */
public sealed interface ProvisioningOutcome {

  String requestId();

  /** The answer's JSON body. */
  ObjectNode json();

  /**
   * The device is registered: its id, its status ({@code active}, or {@code pending} an operator's approval), and
   * either its certificate with the CA certificate that issued it, or its device token (shown this once).
   */
  record Provisioned(String requestId, String deviceId, String status, Optional<String> certificateId,
      Optional<String> certificatePem, Optional<String> caCertificatePem, Optional<String> token)
      implements ProvisioningOutcome {
    public Provisioned {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(status, "status");
    }

    @Override
    public ObjectNode json() {
      ObjectNode n = Json.object().put("requestId", requestId).put("deviceId", deviceId).put("status", status);
      certificateId.ifPresent(v -> n.put("certificateId", v));
      certificatePem.ifPresent(v -> n.put("certificatePem", v));
      caCertificatePem.ifPresent(v -> n.put("caCertificatePem", v));
      token.ifPresent(v -> n.put("token", v));
      return n;
    }

    @Override
    public String toString() {
      return "Provisioned[" + requestId + ", " + deviceId + "]";
    }
  }

  /**
   * Refused, for a {@code code} a device can act on and a message that says why.
   *
   * @param retryAfterSeconds for {@link Code#RATE_LIMITED}: when to try again
   */
  record Refused(String requestId, Code code, String message, Optional<Long> retryAfterSeconds)
      implements ProvisioningOutcome {
    public Refused {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
    }

    @Override
    public ObjectNode json() {
      ObjectNode n = Json.object().put("requestId", requestId).put("code", code.wire()).put("error", code.wire())
          .put("message", message);
      retryAfterSeconds.ifPresent(s -> n.put("retryAfterSeconds", s));
      return n;
    }
  }

  /** Why a request was refused. */
  enum Code {
    /** The request is malformed: not JSON, a missing or invalid field, a bad CSR. */
    BAD_REQUEST("bad-request", 422),
    /** The device id is not one this claim may register (prefix, or another id than the proof was made for). */
    DEVICE_ID_NOT_ALLOWED("device-id-not-allowed", 403),
    /** A device with this id exists already (a replayed request finds it too). */
    DEVICE_EXISTS("device-exists", 409),
    /** The id belonged to a decommissioned or deleted device; ids are not reused. */
    DEVICE_ID_RETIRED("device-id-retired", 409),
    /** The enrollment group is inactive or gone, or its template no longer fits the tenant. */
    ENROLLMENT_UNAVAILABLE("enrollment-unavailable", 403),
    /** The tenant's pre-provisioning hook denied the request, or could not be asked (it denies then). */
    DENIED("denied", 403),
    /** The group's requests per minute are used up. */
    RATE_LIMITED("rate-limited", 429),
    /** The server could not do it now (its CA key unavailable, the store failing). */
    UNAVAILABLE("unavailable", 503);

    private final String wire;
    private final int httpStatus;

    Code(String wire, int httpStatus) {
      this.wire = wire;
      this.httpStatus = httpStatus;
    }

    public String wire() {
      return wire;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }
}
