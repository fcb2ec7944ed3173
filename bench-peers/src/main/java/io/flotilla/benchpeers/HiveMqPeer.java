package io.flotilla.benchpeers;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs HiveMQ Community Edition, embedded, as a peer for {@code flotilla bench mqtt}: a plain MQTT
 * listener and optionally a TLS one, anonymous clients allowed (HiveMQ CE's default without an
 * authentication extension), HiveMQ's default file persistence in a folder of its own (or in-memory
 * persistence, with {@code -Dflotilla.peer.persistence=in-memory}), and no usage statistics sent
 * anywhere. Runs until the JVM is told to stop (SIGTERM), then stops HiveMQ.
 *
 * <pre>
 * java -jar hivemq-peer.jar WORK-FOLDER BIND-ADDRESS TCP-PORT [TLS-PORT PKCS12-KEYSTORE PASSWORD]
 * </pre>
 *
 * <p>Configuration, data and extension folders are created under {@code WORK-FOLDER}. Once both
 * listeners are bound it logs {@value #READY} followed by the HiveMQ version.
 */
public final class HiveMqPeer {
  /** What the peer logs once it accepts connections, followed by HiveMQ's version. */
  public static final String READY = "HiveMQ peer ready: HiveMQ CE ";

  /** System property choosing HiveMQ's persistence: {@code file} (HiveMQ's default) or {@code in-memory}. */
  public static final String PERSISTENCE_PROPERTY = "flotilla.peer.persistence";

  private static final Logger LOG = LoggerFactory.getLogger(HiveMqPeer.class);

  private HiveMqPeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 6) {
      throw new IllegalArgumentException("usage: WORK-FOLDER BIND-ADDRESS TCP-PORT [TLS-PORT PKCS12-KEYSTORE PASSWORD]");
    }
    Path work = Path.of(args[0]).toAbsolutePath();
    Path config = Files.createDirectories(work.resolve("conf"));
    Files.writeString(config.resolve("config.xml"), configXml(args));
    // The embedded HiveMQ reads its settings from system properties too; it must not phone home.
    System.setProperty("hivemq.updatecheck.enabled", "false");
    EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(config)
        .withDataFolder(Files.createDirectories(work.resolve("data")))
        .withExtensionsFolder(Files.createDirectories(work.resolve("extensions")))
        .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        hivemq.stop().get(20, TimeUnit.SECONDS);
        hivemq.close();
      } catch (Exception e) {
        LOG.warn("HiveMQ did not stop cleanly: {}", e.toString());
      } finally {
        stopped.countDown();
      }
    }, "hivemq-peer-stop"));
    hivemq.start().join();
    LOG.info("{}{}", READY, version());
    stopped.await();
  }

  /** The listeners as HiveMQ's config.xml describes them; {@code args} as {@link #main} takes them. */
  static String configXml(String[] args) {
    String bind = args[1];
    StringBuilder listeners = new StringBuilder()
        .append("    <tcp-listener><port>").append(Integer.parseInt(args[2])).append("</port><bind-address>")
        .append(bind).append("</bind-address></tcp-listener>\n");
    if (args.length == 6) {
      String password = xmlText(args[5]);
      listeners.append("    <tls-tcp-listener><port>").append(Integer.parseInt(args[3]))
          .append("</port><bind-address>").append(bind).append("</bind-address>\n")
          .append("      <tls><keystore><path>").append(xmlText(Path.of(args[4]).toAbsolutePath().toString()))
          .append("</path><password>").append(password).append("</password><private-key-password>")
          .append(password).append("</private-key-password></keystore>\n")
          .append("        <client-authentication-mode>NONE</client-authentication-mode></tls>\n")
          .append("    </tls-tcp-listener>\n");
    }
    String persistence = System.getProperty(PERSISTENCE_PROPERTY, "file");
    if (!persistence.equals("file") && !persistence.equals("in-memory")) {
      throw new IllegalArgumentException(PERSISTENCE_PROPERTY + " must be file or in-memory, was " + persistence);
    }
    return "<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n" + listeners + "  </listeners>\n"
        + "  <persistence><mode>" + persistence + "</mode></persistence>\n"
        + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n</hivemq>\n";
  }

  private static String xmlText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String version() {
    String version = EmbeddedHiveMQ.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }
}
