package io.flotilla.store.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned script, as this engine runs it.
 *
 * @param checksum SHA-256 of the script after placeholders are expanded, so a change to what
 *     runs is caught even when only the expansion changed
 */
record Migration(int version, String description, String script, String checksum, List<String> statements) {
  private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

  /** The scripts named in {@code folder/scripts.txt}, in order, with their per-engine variants where present. */
  static List<Migration> load(String folder, Dialect dialect) {
    List<Migration> migrations = new ArrayList<>();
    for (String line : resource(folder + "/scripts.txt").orElseThrow(() ->
        new IllegalStateException("the migration index " + folder + "/scripts.txt is missing from the classpath"))
        .split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher matcher = NAME.matcher(name);
      if (!matcher.matches()) {
        throw new IllegalStateException("'" + name + "' in " + folder + "/scripts.txt is not named V<n>__<description>.sql");
      }
      int version = Integer.parseInt(matcher.group(1));
      int previous = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
      // A version may be skipped while the change that owns it is not merged yet; the runner applies each
      // missing script whatever its place, so a skipped one is applied when it arrives.
      if (version <= previous) {
        throw new IllegalStateException(folder + "/scripts.txt lists " + name + " after version " + previous
            + "; versions increase down the list");
      }
      String variant = folder + "/" + name.replace(".sql", "." + dialect.engine() + ".sql");
      String text = resource(variant).or(() -> resource(folder + "/" + name)).orElseThrow(() ->
          new IllegalStateException("the migration " + folder + "/" + name + " is missing from the classpath"));
      String expanded = dialect.expand(text);
      migrations.add(new Migration(version, matcher.group(2).replace('_', ' '), name, sha256(expanded),
          statements(expanded)));
    }
    return migrations;
  }

  /** Splits a script at lines ending with ';', dropping lines that start with '--'. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line.stripTrailing()).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.substring(0, current.lastIndexOf(";")).strip());
        current.setLength(0);
      }
    }
    if (!current.isEmpty()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  private static Optional<String> resource(String path) {
    try (InputStream in = Migration.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " from the classpath", e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
