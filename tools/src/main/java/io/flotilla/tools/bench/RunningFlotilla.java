package io.flotilla.tools.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Flotilla server that {@link FlotillaLauncher} started, with what a benchmark needs to drive it
 * beyond MQTT: its REST API and the administrator's token it was started with. Closing it stops
 * the process. The token is a secret: {@link #toString()} leaves it out.
 *
 * @param broker the process and its MQTT listeners
 * @param httpPort the REST API's port on 127.0.0.1
 * @param adminToken the default tenant's administrator token ({@code FLOTILLA_ADMIN_TOKEN})
 * @param dataDir the server's data folder, where its embedded databases are
 */
record RunningFlotilla(RunningBroker broker, int httpPort, String adminToken, Path dataDir) implements AutoCloseable {
  RunningFlotilla {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  /** The base of the REST API, such as {@code http://127.0.0.1:41234}. */
  URI httpBase() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  @Override
  public void close() {
    broker.close();
  }

  @Override
  public String toString() {
    return "RunningFlotilla[pid=" + broker.pid() + ", mqtt=" + broker.port() + ", http=" + httpPort + ", dataDir="
        + dataDir + "]";
  }
}
