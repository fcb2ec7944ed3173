package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/** How a device proves who it is. */
public enum CredentialType {
  /** A random secret sent as the MQTT password or an HTTP bearer token. */
  TOKEN,
  /** A client certificate presented in the TLS handshake, matched by its SHA-256 fingerprint. */
  X509;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CredentialType fromWire(String value) {
    for (CredentialType t : values()) {
      if (t.wireName().equals(value)) {
        return t;
      }
    }
    throw new ValidationException("type", "'" + value + "' is not a credential type; use token or x509");
  }
}
