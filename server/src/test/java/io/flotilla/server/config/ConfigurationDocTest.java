package io.flotilla.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationDocTest {
  /**
   * CONFIGURATION.md in the repository root is exactly what the Setting enum renders, so the
   * documentation cannot drift from the code. On a difference the expected file is written to
   * server/target/CONFIGURATION.md for copying over.
   */
  @Test
  void configurationMdMatchesTheSettings() throws IOException {
    Path root = repositoryRoot();
    Path documented = root.resolve("CONFIGURATION.md");
    String expected = ConfigurationDoc.markdown();
    String actual = Files.exists(documented)
        ? Files.readString(documented, StandardCharsets.UTF_8) : "";

    if (!actual.equals(expected)) {
      Path rendered = root.resolve("server/target/CONFIGURATION.md");
      Files.createDirectories(rendered.getParent());
      Files.writeString(rendered, expected, StandardCharsets.UTF_8);
      fail("CONFIGURATION.md differs from the Setting enum " + firstDifference(expected, actual)
          + "; if the enum is right, run: cp server/target/CONFIGURATION.md CONFIGURATION.md");
    }
  }

  private static String firstDifference(String expected, String actual) {
    List<String> want = expected.lines().toList();
    List<String> have = actual.lines().toList();
    for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
      String w = i < want.size() ? want.get(i) : "<end of file>";
      String h = i < have.size() ? have.get(i) : "<end of file>";
      if (!w.equals(h)) {
        return "at line " + (i + 1) + ":\n  expected: " + w + "\n  found:    " + h + "\n";
      }
    }
    return "in line endings";
  }

  /** Every setting appears in the table with its three names. */
  @Test
  void tableListsEverySetting() {
    String table = ConfigurationDoc.table();
    for (Setting setting : Setting.values()) {
      assertThat(table).contains("| `" + setting.fileKey() + "` | `" + setting.envVar()
          + "` | `" + setting.flag() + "` |");
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root (folder with mvnw) above the working directory")
        .isNotNull();
    return dir;
  }
}
