package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tenant's own CA made with the openssl command, as a device maker would: the CA, the verification certificate
 * that proves its key is held, and device certificates signed from the devices' CSRs.
 */
record OwnCa(Path key, Path certificate, Path dir) {
  private static final String[] P256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};

  /** {@code openssl req -x509} with CA:TRUE and keyCertSign, in {@code dir} under {@code name}. */
  static OwnCa make(Path dir, String name, String subject) throws Exception {
    OwnCa ca = new OwnCa(dir.resolve(name + ".key"), dir.resolve(name + ".pem"), dir);
    Openssl.Run made = Openssl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", ca.key.toString(), "-out", ca.certificate.toString(), "-days", "365", "-subj", subject,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    assertThat(made.exitCode()).as(made.output()).isZero();
    return ca;
  }

  /** A new key and CSR for {@code subject}, signed by this CA with {@code openssl x509 -req}; the certificate's path. */
  Path sign(String name, String subject, String... extensions) throws Exception {
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".pem");
    Openssl.csr(dir.resolve(name + ".key"), csr, subject, P256);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("x509", "-req", "-in", csr.toString(),
        "-CA", certificate.toString(), "-CAkey", key.toString(), "-CAcreateserial", "-out", cert.toString(),
        "-days", "30"));
    if (extensions.length > 0) {
      Path ext = Files.writeString(dir.resolve(name + ".ext"), String.join("\n", extensions) + "\n");
      args.addAll(java.util.List.of("-extfile", ext.toString()));
    }
    Openssl.Run signed = Openssl.run(args.toArray(String[]::new));
    assertThat(signed.exitCode()).as(signed.output()).isZero();
    return cert;
  }

  Path deviceKey(String name) {
    return dir.resolve(name + ".key");
  }

  /**
   * Registers this CA in the caller's tenant: a registration code, a verification certificate with it as common
   * name, and the request. Returns the answer.
   */
  ApiClient.Response register(ApiClient client, String template) throws Exception {
    ApiClient.Response code = client.post("/api/v1/ca/registration-codes", "");
    assertThat(code.status()).as(code.body()).isEqualTo(201);
    Path verification = sign("verification-" + certificate.getFileName().toString().replace(".pem", ""),
        "/CN=" + code.json().path("code").asText());
    return client.post("/api/v1/ca/registrations", body(verification, template));
  }

  String body(Path verification, String template) throws Exception {
    return "{\"caCertificatePem\":" + Json.MAPPER.writeValueAsString(Files.readString(certificate))
        + ",\"verificationCertificatePem\":" + Json.MAPPER.writeValueAsString(Files.readString(verification))
        + ",\"template\":" + template + "}";
  }
}
