package io.flotilla.gateway;

/** A gateway listener could not bind its port; the caller names the setting that moves it. */
public final class ListenerBindException extends RuntimeException {
  private final String listener;
  private final int port;

  public ListenerBindException(String listener, String host, int port, Throwable cause) {
    super(listener + " listener could not bind " + host + ":" + port + ": " + cause.getMessage(), cause);
    this.listener = listener;
    this.port = port;
  }

  /** {@code MQTT} or {@code MQTTS}. */
  public String listener() {
    return listener;
  }

  public int port() {
    return port;
  }
}
