package io.flotilla.tools.bench;

import java.util.Objects;

/**
 * The user name and password a load-generator connection sends in CONNECT, as a device of Flotilla
 * does: its id and its device token. The password is a secret: {@link #toString()} leaves it out.
 */
record MqttLogin(String username, String password) {
  MqttLogin {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "MqttLogin[username=" + username + ", password=…]";
  }
}
