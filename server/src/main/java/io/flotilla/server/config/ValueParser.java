package io.flotilla.server.config;

import io.flotilla.ca.MasterKey;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a setting's text into its typed value. A value that does not fit throws
 * {@link IllegalArgumentException} whose message completes the sentence "the value ...",
 * e.g. "must be an integer from 0 to 65535"; {@link ConfigLoader} adds the setting and where
 * the value came from.
 */
@FunctionalInterface
interface ValueParser {
  /** Characters a host name or IP literal (IPv4, IPv6, with zone) may contain. */
  Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");

  Object parse(String text);

  /** A TCP port; 0 lets the operating system pick a free one. */
  static ValueParser port() {
    return text -> {
      try {
        int port = Integer.parseInt(text);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException("must be an integer from 0 to 65535");
    };
  }

  /** A file system path, made absolute against the working directory. */
  static ValueParser path() {
    return text -> {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("must be a folder path, not empty");
      }
      try {
        return Path.of(text).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("is not a valid path: " + e.getReason());
      }
    };
  }

  /** A host name or IP address to bind to. Not resolved here: that is I/O. */
  static ValueParser host() {
    return text -> {
      if (!HOST.matcher(text).matches()) {
        throw new IllegalArgumentException(
            "must be an IP address or host name, such as 0.0.0.0, 127.0.0.1 or ::");
      }
      return text;
    };
  }

  /** A JDBC URL for one of the given engines, named by their URL prefixes. */
  static ValueParser jdbcUrl(String... prefixes) {
    List<String> allowed = List.of(prefixes);
    return text -> {
      for (String prefix : allowed) {
        if (text.startsWith(prefix) && text.length() > prefix.length()) {
          return text;
        }
      }
      throw new IllegalArgumentException("must be a JDBC URL starting with "
          + String.join(" or ", allowed) + " followed by a database location");
    };
  }

  /** One of a fixed set of lower-case words; matched ignoring case, returned lower-case. */
  static ValueParser oneOf(String... words) {
    List<String> allowed = List.of(words);
    return text -> {
      String word = text.toLowerCase(Locale.ROOT);
      if (!allowed.contains(word)) {
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
      }
      return word;
    };
  }

  /** A size in bytes, at least 1. */
  static ValueParser byteCount() {
    return text -> {
      try {
        long bytes = Long.parseLong(text);
        if (bytes >= 1) {
          return bytes;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException("must be a whole number of bytes, at least 1");
    };
  }

  /** {@code true} or {@code false}, ignoring case. */
  static ValueParser bool() {
    return text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  /** A secret such as a token: long enough, no whitespace. Messages never repeat the value. */
  static ValueParser secret(int minLength) {
    return text -> {
      if (text.length() < minLength || text.codePoints().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "must be at least " + minLength + " characters long, without whitespace");
      }
      return text;
    };
  }

  /** A master key: 32 bytes in base64 or hex. Kept as text; messages never repeat it. */
  static ValueParser masterKey() {
    return text -> {
      MasterKey.parse(text);
      return text;
    };
  }

  /** A whole number from 0 to 2^31 - 1, where 0 usually means "no limit". */
  static ValueParser count() {
    return text -> {
      try {
        int value = Integer.parseInt(text);
        if (value >= 0) {
          return value;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException("must be a whole number from 0 to 2147483647");
    };
  }

  /** A comma-separated list of host names or IP addresses, possibly empty. */
  static ValueParser names() {
    return text -> {
      List<String> names = text.isBlank() ? List.of()
          : java.util.Arrays.stream(text.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
      for (String name : names) {
        if (!HOST.matcher(name.replace("*.", "")).matches()) {
          throw new IllegalArgumentException("must list host names or IP addresses separated by commas, not '"
              + name + "'");
        }
      }
      return names;
    };
  }
}
