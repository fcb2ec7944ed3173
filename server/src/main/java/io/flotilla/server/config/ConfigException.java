package io.flotilla.server.config;

/**
 * A setting could not be read or is invalid. The message is one line meant for the operator:
 * it names the setting, where the value came from (flag, environment variable or config file)
 * and what a valid value looks like. It never contains a secret.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
