package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.json.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tenant CA's private key at rest: sealed in the registry, in clear nowhere. */
@Timeout(120)
class CaKeyAtRestIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  /**
   * After the CA was made and used (a certificate issued and revoked, a CRL signed), its private key is in the
   * registry only sealed: opened by hand with {@code master.key}, following the documented format, it is the
   * key of the CA certificate; and no file of the data folder, nor the server's log, holds it in any clear form.
   */
  @Test
  void caPrivateKeyIsNeverStoredOrLoggedInClear() throws Exception {
    String log;
    try (LogCapture capture = LogCapture.begin()) {
      try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
        useTheCa(new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN)));
      }
      log = capture.text();
    }

    String caId;
    String certificatePem;
    String sealed;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("registry.db"));
        Statement query = db.createStatement();
        ResultSet row = query.executeQuery("SELECT id, certificate_pem, key_sealed FROM tenant_cas")) {
      assertThat(row.next()).isTrue();
      caId = row.getString(1);
      certificatePem = row.getString(2);
      sealed = row.getString(3);
    }
    byte[] pkcs8 = open(sealed, Files.readString(dataDir.resolve("master.key")), "tenant-ca/default/" + caId);
    ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    assertThat(signsFor(key, certificatePem)).as("the sealed key is the CA's").isTrue();

    byte[] scalar = unsigned32(key.getS());
    String pkcs8Base64 = Base64.getEncoder().encodeToString(pkcs8);
    List<byte[]> clearForms = List.of(pkcs8, scalar, ascii(pkcs8Base64.substring(0, 64)),
        ascii(Base64.getEncoder().encodeToString(scalar).substring(0, 40)), ascii(HexFormat.of().formatHex(scalar)),
        ascii(HexFormat.of().withUpperCase().formatHex(scalar)));
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(file);
        for (byte[] form : clearForms) {
          assertThat(indexOf(content, form)).as(file + " holds the CA key in clear").isEqualTo(-1);
        }
      }
    }
    assertThat(log).contains("Created the device CA").doesNotContain(pkcs8Base64.substring(0, 64))
        .doesNotContainIgnoringCase(HexFormat.of().formatHex(scalar)).doesNotContain("PRIVATE KEY")
        .doesNotContain(sealed);
  }

  /** Every use of the CA's key: creating it, issuing, revoking, signing a CRL. */
  private void useTheCa(ApiClient admin) throws Exception {
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    Openssl.csr(work.resolve("d.key"), work.resolve("d.csr"), "/CN=pump-1", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256");
    ApiClient.Response issued = admin.post("/api/v1/devices/pump-1/certificates",
        "{\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(work.resolve("d.csr"))) + "}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    admin.post("/api/v1/devices/pump-1/certificates/" + issued.json().path("id").asText() + "/revoke", "{}");
    assertThat(admin.get("/api/v1/ca/crl?format=pem").status()).isEqualTo(200);
  }

  /**
   * Opens a sealed key as ARCHITECTURE.md describes the format, independently of the server's code:
   * {@code v1.<nonce‖wrapped data key>.<nonce‖sealed key>}, AES-256-GCM, the wrapping key HMAC-SHA256 of the
   * master key over {@code flotilla/key-wrapping/v1}, each part authenticated with its role and the context.
   */
  private static byte[] open(String sealed, String masterKeyText, String context) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(masterKeyText.strip()), "HmacSHA256"));
    byte[] wrappingKey = mac.doFinal(ascii("flotilla/key-wrapping/v1"));
    String[] parts = sealed.split("\\.");
    assertThat(parts[0]).isEqualTo("v1");
    byte[] dataKey = gcm(wrappingKey, parts[1], "v1/data-key/" + context);
    return gcm(dataKey, parts[2], "v1/key/" + context);
  }

  private static byte[] gcm(byte[] key, String part, String aad) throws Exception {
    byte[] bytes = Base64.getUrlDecoder().decode(part);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, bytes, 0, 12));
    cipher.updateAAD(ascii(aad));
    return cipher.doFinal(bytes, 12, bytes.length - 12);
  }

  private static boolean signsFor(ECPrivateKey key, String certificatePem) throws Exception {
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(ascii(certificatePem)));
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(key);
    signature.update(ascii("proof"));
    byte[] signed = signature.sign();
    signature.initVerify(certificate.getPublicKey());
    signature.update(ascii("proof"));
    return signature.verify(signed);
  }

  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return fixed;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return Arrays.equals(needle, new byte[0]) ? 0 : -1;
  }
}
