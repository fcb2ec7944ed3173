package io.flotilla.server.config;

/**
 * Renders CONFIGURATION.md from {@link Setting}, so the documentation is the code. A unit test
 * fails when the file in the repository differs from {@link #markdown()}.
 */
public final class ConfigurationDoc {
  private ConfigurationDoc() {
  }

  /** The whole of CONFIGURATION.md. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration\n\n")
        .append("<!-- Generated from io.flotilla.server.config.Setting by ConfigurationDoc;"
            + " edit the enum, not this file. A unit test fails when they differ. -->\n\n")
        .append("`flotilla server` reads its settings once, when it starts. Each setting can"
            + " come from four places, and a later one wins over an earlier one:\n\n")
        .append("1. the default below,\n")
        .append("2. the config file,\n")
        .append("3. an environment variable `FLOTILLA_*`,\n")
        .append("4. a command-line flag of `flotilla server`.\n\n")
        .append("The config file is in Java properties format (`key=value`, one a line, `#`"
            + " starts a comment) and is read as UTF-8. Its path comes from `"
            + ConfigLoader.CONFIG_FLAG + " <file>` or `" + ConfigLoader.CONFIG_ENV
            + "`; when neither is given, `" + Setting.DATA_DIR_PLACEHOLDER + "/"
            + ConfigLoader.DEFAULT_FILE_NAME + "` is read if it exists (that file cannot set `"
            + Setting.DATA_DIR.fileKey() + "` itself). An unknown key, an invalid value or a"
            + " port given to two listeners stops the server with a one-line error naming the"
            + " setting and where the value came from. An empty environment variable counts"
            + " as unset. Relative paths are taken from the working directory.\n\n")
        .append("Secrets (`" + Setting.ADMIN_TOKEN.fileKey() + "`, `" + Setting.MASTER_KEY.fileKey()
            + "`) are never printed or logged. Prefer the environment or a config file only the server's user can"
            + " read: a flag is visible to every user of the machine in the process list.\n\n")
        .append(table());
    return md.toString();
  }

  /** The settings as a Markdown table: file key, environment variable, flag, default, meaning. */
  public static String table() {
    StringBuilder md = new StringBuilder();
    md.append("| File key | Environment variable | Flag | Default | Meaning |\n");
    md.append("|---|---|---|---|---|\n");
    for (Setting setting : Setting.values()) {
      md.append("| `").append(setting.fileKey())
          .append("` | `").append(setting.envVar())
          .append("` | `").append(setting.flag())
          .append("` | ").append(setting.defaultText().map(d -> "`" + d + "`").orElse("none"))
          .append(" | ").append(setting.doc().replace("|", "\\|"))
          .append(" |\n");
    }
    return md.toString();
  }
}
