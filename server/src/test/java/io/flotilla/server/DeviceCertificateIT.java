package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device certificates from the tenant CA, the way a new user meets them: openssl makes the device's key and
 * CSR, curl-like calls get the certificate, mosquitto connects with it over MQTTS, openssl reads the CRL.
 */
@Timeout(180)
class DeviceCertificateIT {
  private static final String[] P256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  FlotillaServer server;
  ApiClient admin;

  @BeforeEach
  void startServerWithADevice() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * The device's own key and CSR get a certificate for CN=pump-1 that chains to the tenant CA; mosquitto
   * connects with it at once. Revoked, its live connection is closed, it can no longer connect, and the CRL
   * lists its serial under a higher CRL number each time.
   */
  @Test
  void deviceConnectsWithAnIssuedCertificateUntilItIsRevoked() throws Exception {
    Path key = work.resolve("pump-1.key");
    Path cert = work.resolve("pump-1.pem");
    Openssl.csr(key, work.resolve("pump-1.csr"), "/CN=asks-for-another-name/O=Evil", P256);

    ApiClient.Response issued = admin.post("/api/v1/devices/pump-1/certificates", csrBody(work.resolve("pump-1.csr")));
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    JsonNode certificate = issued.json();
    Files.writeString(cert, certificate.path("certificatePem").asText());
    Path tenantCa = save("tenant-ca.pem", admin.get("/api/v1/ca/certificate"));
    Path serverCa = save("server-ca.pem", admin.get("/api/v1/server/ca.pem"));

    assertThat(certificate.path("status").asText()).isEqualTo("active");
    assertThat(Openssl.run("verify", "-CAfile", tenantCa.toString(), cert.toString()).output()).contains(": OK");
    Openssl.Run details = Openssl.run("x509", "-in", cert.toString(), "-noout", "-subject", "-serial", "-ext",
        "extendedKeyUsage");
    assertThat(details.output()).contains("subject=CN = pump-1").doesNotContain("Evil")
        .contains("serial=" + certificate.path("serial").asText()).contains("TLS Web Client Authentication");
    assertThat(Openssl.run("x509", "-in", tenantCa.toString(), "-noout", "-subject").output())
        .contains("CN = Flotilla default device CA");

    List<String> tls = List.of("--cafile", serverCa.toString(), "--cert", cert.toString(), "--key", key.toString());
    MosquittoClients.Run published = MosquittoClients.run(mqtts("mosquitto_pub", tls, "-t", "devices/pump-1/telemetry",
        "-m", "{\"t\":21.5}", "-q", "1"));
    assertThat(published.exitCode()).as(published.output()).isZero();

    MosquittoClients.Started listening = MosquittoClients.start(mqtts("mosquitto_sub", tls, "-t",
        "devices/pump-1/commands/#", "-W", "60"));
    await().atMost(Duration.ofSeconds(15)).until(() -> server.gateway().broker().sessions("default").stream()
        .anyMatch(s -> s.clientId().equals("pump-1")));
    assertThat(listening.process().isAlive()).isTrue();
    ApiClient.Response revoked = admin.post("/api/v1/devices/pump-1/certificates/" + certificate.path("id").asText()
        + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    assertThat(revoked.json().path("status").asText()).isEqualTo("revoked");
    // The subscriber would wait 60 s for a message; finish() gives it 20 s, so it ends only when the server closes it.
    MosquittoClients.finish(listening);

    MosquittoClients.Run refused = MosquittoClients.run(mqtts("mosquitto_pub", tls, "-t", "devices/pump-1/telemetry",
        "-m", "{\"t\":1}", "-q", "1"));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output().toLowerCase()).contains("bad user name or password");
    assertThat(admin.get("/api/v1/devices/pump-1/certificates").json().path("items"))
        .singleElement().satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("revoked"));
    assertThat(admin.get("/api/v1/devices/pump-1/credentials").json().path("items"))
        .singleElement().satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("revoked"));

    Path crl = work.resolve("crl.der");
    Curl.Run fetched = Curl.run("-H", "Authorization: Bearer " + TestServers.ADMIN_TOKEN, "-o", crl.toString(),
        "http://127.0.0.1:" + server.httpPort() + "/api/v1/ca/crl");
    assertThat(fetched.status()).isEqualTo(200);
    Openssl.Run listed = Openssl.run("crl", "-inform", "DER", "-in", crl.toString(), "-CAfile", tenantCa.toString(),
        "-noout", "-text");
    assertThat(listed.output()).contains("verify OK").contains("Serial Number: " + certificate.path("serial").asText());
    Path crlPem = work.resolve("crl.pem");
    Curl.run("-H", "Authorization: Bearer " + TestServers.ADMIN_TOKEN, "-o", crlPem.toString(),
        "http://127.0.0.1:" + server.httpPort() + "/api/v1/ca/crl?format=pem");
    assertThat(crlNumber(Openssl.run("crl", "-in", crlPem.toString(), "-noout", "-text").output()))
        .isGreaterThan(crlNumber(listed.output()));
    assertThat(Openssl.run("verify", "-crl_check", "-CRLfile", crlPem.toString(), "-CAfile", tenantCa.toString(),
        cert.toString()).output()).contains("certificate revoked");
  }

  /** A CSR whose signature does not match its key, and a 1024-bit RSA key, are refused saying why; nothing is issued. */
  @Test
  void forgedAndWeakRequestsAreRefused() throws Exception {
    Path csr = work.resolve("device.csr");
    Openssl.csr(work.resolve("device.key"), csr, "/CN=pump-1", P256);
    byte[] der = Base64.getMimeDecoder().decode(Files.readString(csr)
        .replace("-----BEGIN CERTIFICATE REQUEST-----", "").replace("-----END CERTIFICATE REQUEST-----", ""));
    der[der.length - 1] ^= 0x01; // the last byte of the signature
    String forged = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";

    ApiClient.Response refused = admin.post("/api/v1/devices/pump-1/certificates",
        "{\"csrPem\":" + Json.MAPPER.writeValueAsString(forged) + "}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("csrPem");
    assertThat(refused.json().path("detail").asText()).contains("signature does not match its public key");

    Path weak = work.resolve("weak.csr");
    Openssl.csr(work.resolve("weak.key"), weak, "/CN=pump-1", "rsa:1024");
    ApiClient.Response tooWeak = admin.post("/api/v1/devices/pump-1/certificates", csrBody(weak));
    assertThat(tooWeak.status()).isEqualTo(422);
    assertThat(tooWeak.json().path("detail").asText()).contains("an RSA key of 1024 bits");

    ApiClient.Response tooLong = admin.post("/api/v1/devices/pump-1/certificates",
        "{\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(csr)) + ",\"validityDays\":5000}");
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.json().path("detail").asText()).contains("validityDays").contains("1095");

    assertThat(admin.get("/api/v1/devices/pump-1/certificates").json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/pump-1/credentials").json().path("items")).isEmpty();
  }

  /**
   * Another tenant has a CA of its own: the first tenant's certificates do not verify against it, it cannot see
   * or revoke them, and it cannot register one as its own device's credential.
   */
  @Test
  void anotherTenantCannotSeeOrUseTheCertificates() throws Exception {
    Path cert = work.resolve("pump-1.pem");
    Openssl.csr(work.resolve("pump-1.key"), work.resolve("pump-1.csr"), "/CN=pump-1", P256);
    JsonNode issued = admin.post("/api/v1/devices/pump-1/certificates", csrBody(work.resolve("pump-1.csr"))).json();
    Files.writeString(cert, issued.path("certificatePem").asText());
    ApiClient acme = admin.as(admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json().path("adminToken")
        .path("token").asText());

    Path acmeCa = save("acme-ca.pem", acme.get("/api/v1/ca/certificate"));
    assertThat(Files.readString(acmeCa)).isNotEqualTo(admin.get("/api/v1/ca/certificate").body());
    assertThat(Openssl.run("x509", "-in", acmeCa.toString(), "-noout", "-subject").output())
        .contains("CN = Flotilla acme device CA");
    assertThat(Openssl.run("verify", "-CAfile", acmeCa.toString(), cert.toString()).exitCode()).isNotZero();

    assertThat(acme.get("/api/v1/devices/pump-1/certificates").status()).isEqualTo(404);
    acme.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    acme.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    assertThat(acme.get("/api/v1/devices/pump-1/certificates").json().path("items")).isEmpty();
    assertThat(acme.post("/api/v1/devices/pump-1/certificates/" + issued.path("id").asText() + "/revoke", "{}")
        .status()).isEqualTo(404);
    ApiClient.Response claimed = acme.post("/api/v1/devices/pump-1/credentials", "{\"type\":\"x509\","
        + "\"certificatePem\":" + Json.MAPPER.writeValueAsString(Files.readString(cert)) + "}");
    assertThat(claimed.status()).isEqualTo(409);
    assertThat(admin.get("/api/v1/devices/pump-1/certificates").json().path("items").get(0).path("status").asText())
        .isEqualTo("active");
  }

  /** Operators issue and revoke certificates; viewers read the list and the CA but cannot issue. */
  @Test
  void issuingNeedsAnOperatorAndReadingAViewer() throws Exception {
    Openssl.csr(work.resolve("d.key"), work.resolve("d.csr"), "/CN=pump-1", P256);
    ApiClient viewer = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"v\",\"role\":\"viewer\"}").json()
        .path("token").asText());
    ApiClient operator = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"o\",\"role\":\"operator\"}").json()
        .path("token").asText());

    assertThat(viewer.post("/api/v1/devices/pump-1/certificates", csrBody(work.resolve("d.csr"))).status())
        .isEqualTo(403);
    JsonNode issued = operator.post("/api/v1/devices/pump-1/certificates", csrBody(work.resolve("d.csr"))).json();
    assertThat(viewer.get("/api/v1/devices/pump-1/certificates").json().path("items")).hasSize(1);
    assertThat(viewer.get("/api/v1/ca/certificate").status()).isEqualTo(200);
    String revoke = "/api/v1/devices/pump-1/certificates/" + issued.path("id").asText() + "/revoke";
    assertThat(viewer.post(revoke, "{}").status()).isEqualTo(403);
    assertThat(operator.post(revoke, "{}").status()).isEqualTo(200);
    assertThat(operator.post(revoke, "{}").json().path("status").asText()).as("revoking again changes nothing")
        .isEqualTo("revoked");
    JsonNode audit = admin.get("/api/v1/audit?limit=100").json().path("items");
    assertThat(audit.findValuesAsText("action")).contains("ca.create", "certificate.issue", "certificate.revoke");
  }

  /**
   * However a certificate stops being valid, it goes on the CRL: revoked as a credential
   * ({@code DELETE …/credentials/{id}}), or with its device when the device is deleted.
   */
  @Test
  void certificatesRevokedAsCredentialsOrWithTheirDeviceAreOnTheCrl() throws Exception {
    Openssl.csr(work.resolve("d.key"), work.resolve("d.csr"), "/CN=pump-1", P256);
    JsonNode first = admin.post("/api/v1/devices/pump-1/certificates", csrBody(work.resolve("d.csr"))).json();
    JsonNode second = admin.post("/api/v1/devices/pump-1/certificates", csrBody(work.resolve("d.csr"))).json();

    assertThat(admin.delete("/api/v1/devices/pump-1/credentials/" + first.path("id").asText()).status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/devices/pump-1/certificates").json().path("items").get(0).path("status").asText())
        .isEqualTo("revoked");
    assertThat(admin.delete("/api/v1/devices/pump-1").status()).isEqualTo(204);

    Path crl = Files.writeString(work.resolve("crl.pem"), admin.get("/api/v1/ca/crl?format=pem").body());
    assertThat(Openssl.run("crl", "-in", crl.toString(), "-noout", "-text").output())
        .contains("Serial Number: " + first.path("serial").asText())
        .contains("Serial Number: " + second.path("serial").asText());
  }

  private String[] mqtts(String tool, List<String> tls, String... more) {
    List<String> args = new ArrayList<>(MosquittoClients.args(tool, server.mqttsPort(), "mqttv5", "pump-1", null, null));
    args.addAll(tls);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private Path save(String name, ApiClient.Response response) throws Exception {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/x-pem-file");
    return Files.writeString(work.resolve(name), response.body(), StandardCharsets.US_ASCII);
  }

  private static String csrBody(Path csr) throws Exception {
    return "{\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(csr)) + "}";
  }

  private static long crlNumber(String crlText) {
    Matcher m = Pattern.compile("X509v3 CRL Number:\\s*\\n\\s*(\\d+)").matcher(crlText);
    assertThat(m.find()).as(crlText).isTrue();
    return Long.parseLong(m.group(1));
  }
}
