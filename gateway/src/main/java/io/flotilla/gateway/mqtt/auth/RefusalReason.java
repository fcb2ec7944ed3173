package io.flotilla.gateway.mqtt.auth;

/**
 * Why a CONNECT is refused, with the CONNACK code each protocol version uses for it (MQTT 5 reason
 * codes from section 3.2.2.2, MQTT 3.1.1 return codes from section 3.2.2.3).
 */
public enum RefusalReason {
  BAD_USERNAME_OR_PASSWORD(0x86, 4),
  NOT_AUTHORIZED(0x87, 5),
  CLIENT_IDENTIFIER_NOT_VALID(0x85, 2),
  SERVER_UNAVAILABLE(0x88, 3),
  /** 3.1.1 has no "banned": it is told "not authorized". */
  BANNED(0x8A, 5),
  /** The tenant has as many connected clients as it may; 3.1.1 has no "quota exceeded". */
  QUOTA_EXCEEDED(0x97, 3);

  private final int v5ReasonCode;
  private final int v311ReturnCode;

  RefusalReason(int v5ReasonCode, int v311ReturnCode) {
    this.v5ReasonCode = v5ReasonCode;
    this.v311ReturnCode = v311ReturnCode;
  }

  /** The CONNACK byte for a client of this protocol version. */
  public int connackCode(ProtocolVersion version) {
    return version.isV5() ? v5ReasonCode : v311ReturnCode;
  }
}
