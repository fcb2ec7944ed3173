package io.flotilla.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A config file in Java properties format, read as UTF-8. Every key must be a
 * {@link Setting#fileKey()}: a misspelt key is an error rather than a setting silently ignored.
 *
 * @param path where the file is, absolute
 * @param values the settings it sets, values stripped of surrounding whitespace
 */
record ConfigFile(Path path, Map<Setting, String> values) {

  ConfigFile {
    values = Map.copyOf(values);
  }

  /**
   * Reads the file.
   *
   * @param givenBy what named the file, for messages: "--config", "FLOTILLA_CONFIG", ...
   */
  static ConfigFile read(Path file, String givenBy) {
    Path path = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("Config file " + path + " (from " + givenBy
          + ") does not exist or is not a file");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (CharacterCodingException e) {
      throw new ConfigException("Config file " + path + " is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + path + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Config file " + path + " is not in Java properties format: "
          + e.getMessage(), e);
    }
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      Setting setting = byFileKey(key).orElseThrow(() -> unknownKey(key, path));
      values.put(setting, properties.getProperty(key).strip());
    }
    return new ConfigFile(path, values);
  }

  /** Where values from this file came from, for messages. */
  String origin() {
    return "config file " + path;
  }

  private static Optional<Setting> byFileKey(String key) {
    return Arrays.stream(Setting.values()).filter(s -> s.fileKey().equals(key)).findFirst();
  }

  private static ConfigException unknownKey(String key, Path path) {
    Setting nearest = Arrays.stream(Setting.values())
        .min(Comparator.comparingInt(s -> editDistance(key, s.fileKey())))
        .orElseThrow();
    String hint = editDistance(key, nearest.fileKey()) <= 3
        ? "did you mean '" + nearest.fileKey() + "'?"
        : "CONFIGURATION.md lists the settings";
    return new ConfigException(
        "Unknown setting '" + key + "' in config file " + path + "; " + hint);
  }

  /** Levenshtein distance: how many single-character edits turn one key into the other. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
