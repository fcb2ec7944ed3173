package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway server certificate for the brokers' TLS listeners, made with {@code openssl}: a
 * self-signed certificate for {@code localhost} and 127.0.0.1 as PEM files (Mosquitto) and a
 * PKCS#12 keystore (HiveMQ). The load generator trusts it without checking the chain.
 *
 * <p>The key is RSA 2048, still the most common server key. It puts the expensive half of the
 * handshake on the broker (signing) and the cheap half on the generator (verifying); with ECDSA
 * P-256 it is the other way round, and the generator's Java EC arithmetic capped every broker at
 * the same 200 handshakes/s on this 2-core machine, measuring the generator instead of the brokers.
 */
record TlsFiles(Path certificate, Path privateKey, Path keystore, String keystorePassword) {
  /** Writes the files into {@code folder}; fails with openssl's own words if it cannot. */
  static TlsFiles generate(Path folder) throws IOException {
    Path certificate = folder.resolve("broker-cert.pem");
    Path key = folder.resolve("broker-key.pem");
    run(folder, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
    return withKeystore(folder, certificate, key);
  }

  /**
   * The files of a certificate (PEM, leaf first) and key (PKCS#8 PEM) made elsewhere, with the keystore made from
   * them into {@code folder}: for a peer broker that must present the same server certificate as Flotilla.
   */
  static TlsFiles of(Path folder, Path certificate, Path key) throws IOException {
    return withKeystore(folder, certificate, key);
  }

  private static TlsFiles withKeystore(Path folder, Path certificate, Path key) throws IOException {
    Path keystore = folder.resolve("broker.p12");
    String password = HexFormat.of().formatHex(randomBytes());
    run(folder, List.of("openssl", "pkcs12", "-export", "-in", certificate.toString(), "-inkey", key.toString(),
        "-out", keystore.toString(), "-name", "broker", "-passout", "pass:" + password));
    return new TlsFiles(certificate, key, keystore, password);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  private static void run(Path folder, List<String> command) throws IOException {
    Path output = folder.resolve("openssl.log");
    Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("openssl did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while openssl ran", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("openssl " + command.get(1) + " failed: " + Files.readString(output).strip());
    }
  }

  @Override
  public String toString() {
    return "TlsFiles[certificate=" + certificate + ", keystore=" + keystore + "]";
  }
}
