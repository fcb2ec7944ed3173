package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes device keys and self-signed certificates with the openssl command, as a device maker would. */
final class Openssl {
  private Openssl() {}

  /** Writes a P-256 key and a 30-day self-signed certificate for {@code cn}. */
  static void selfSigned(Path key, Path cert, String cn) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "30", "-subj", "/CN=" + cn)
        .redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
