package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK over MQTTS against the real server: with a device token, trusting the server's built-in CA; and
 * with a client certificate the tenant CA issued from the device's own CSR (made with openssl), packed as
 * PKCS#12 — no token at all.
 */
@Timeout(120)
class TlsConnectIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  PlatformServer platform;
  FlotillaDevice device;

  @BeforeEach
  void start() {
    platform = new PlatformServer(dataDir);
  }

  @AfterEach
  void stop() {
    if (device != null) {
      device.close();
    }
    platform.close();
  }

  /** A token over TLS: telemetry stored. */
  @Test
  void tokenOverTlsTrustingTheServerCa() {
    String token = platform.registerDevice("plain", null, "tls-token");
    device = FlotillaDevice.builder(platform.mqttsUri(), "tls-token").token(token)
        .tls(DeviceTls.trusting(platform.tlsCa())).build();
    device.start();
    device.publish("{\"level\":1}");
    await().atMost(Duration.ofSeconds(20)).until(() -> device.pendingTelemetry() == 0);
    assertThat(platform.stored("tls-token", "level")).extracting(JsonNode::asInt).containsExactly(1);
  }

  /** A client certificate from the tenant CA logs the device in without a token. */
  @Test
  void clientCertificateLogsInWithoutAToken() throws Exception {
    platform.registerDevice("plain", null, "tls-cert");
    Path key = work.resolve("d.key");
    Path csr = work.resolve("d.csr");
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        key.toString(), "-out", csr.toString(), "-subj", "/CN=tls-cert");
    JsonNode issued = platform.post("/api/v1/devices/tls-cert/certificates",
        DeviceJson.object().put("csrPem", Files.readString(csr)).toString(), 201);
    Path cert = work.resolve("d.pem");
    Files.writeString(cert, issued.path("certificatePem").asText());
    Path p12 = work.resolve("d.p12");
    openssl("pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
        "-passout", "pass:secret");

    device = FlotillaDevice.builder(platform.mqttsUri(), "tls-cert")
        .tls(DeviceTls.withClientCertificate(platform.tlsCa(), p12, "secret".toCharArray())).build();
    device.start();
    device.publish("{\"level\":2}");
    await().atMost(Duration.ofSeconds(20)).until(() -> device.pendingTelemetry() == 0);
    assertThat(device.isConnected()).isTrue();
    assertThat(platform.stored("tls-cert", "level")).extracting(JsonNode::asInt).containsExactly(2);
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
