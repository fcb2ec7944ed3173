package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes device keys, CSRs and self-signed certificates with the openssl command, as a device maker would. */
final class Openssl {
  private Openssl() {}

  /** What an openssl command printed (stdout and stderr together) and its exit code. */
  record Run(int exitCode, String output) {}

  /** Writes a P-256 key and a 30-day self-signed certificate for {@code cn}. */
  static void selfSigned(Path key, Path cert, String cn) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "30", "-subj", "/CN=" + cn)
        .redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  /**
   * Writes a new private key and a CSR for it asking for {@code subject}; {@code newKey} is openssl's
   * {@code -newkey} with its options, e.g. {@code "ec", "-pkeyopt", "ec_paramgen_curve:P-256"} or {@code "rsa:1024"}.
   */
  static void csr(Path key, Path csr, String subject, String... newKey) throws Exception {
    List<String> command = new ArrayList<>(List.of("req", "-new", "-newkey"));
    command.addAll(List.of(newKey));
    command.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject));
    Run run = run(command.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  /** Runs {@code openssl <arguments>} to completion (at most 20 s). */
  static Run run(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    return new Run(p.exitValue(), output);
  }
}
