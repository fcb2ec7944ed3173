package io.flotilla.server;

import io.flotilla.server.config.Setting;

/** A listener could not bind; the message is one line naming the setting that moves it. */
public final class PortInUseException extends RuntimeException {
  public PortInUseException(String listener, String host, int port, Setting setting) {
    super(listener + " port " + port + " on " + host + " is already in use; set " + setting.envVar() + " (or "
        + setting.flag() + ") to a free port, or to 0 for any free port", null, false, false);
  }
}
