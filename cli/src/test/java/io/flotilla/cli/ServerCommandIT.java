package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandIT {
  @TempDir
  Path dataDir;

  /** A port that is taken is one line naming the setting that moves it, and exit code 2. */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void portInUseIsOneLineNamingTheSetting() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (ServerSocket taken = new ServerSocket(0)) {
      int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
          "server", "--data-dir", dataDir.toString(),
          "--http-port", String.valueOf(taken.getLocalPort()),
          "--mqtt-port", "0", "--mqtts-port", "0", "--https-port", "0");

      assertThat(code).isEqualTo(2);
    }
    assertThat(err.toString())
        .startsWith("flotilla: ")
        .contains("--http-port")
        .doesNotContain("Exception", "\tat ");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }
}
