package io.flotilla.core.telemetry;

import java.util.Objects;

/**
 * One reason a telemetry payload was refused.
 *
 * @param path    JSON pointer into the payload as the device sent it ({@code /temperature},
 *                {@code /3/engine/temp} in a batch); empty for the payload as a whole
 * @param message what is wrong, and the limit or rule where there is one
 */
public record TelemetryViolation(String path, String message) {
  public TelemetryViolation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /**
   * {@code path: message}, or the message alone for the whole payload; control characters (which a
   * device can put in a key) are escaped so the text is safe in a log line or an MQTT reason string.
   */
  public String text() {
    return escapeControls(path.isEmpty() ? message : path + ": " + message);
  }

  /**
   * {@link #text()} in at most {@code max} characters: a long path (a long key) is cut in its middle
   * first so the message survives; a message that alone is too long is cut at its end. Cuts show as "…".
   */
  public String text(int max) {
    String text = text();
    if (text.length() <= max) {
      return text;
    }
    String said = escapeControls(message);
    String path = escapeControls(this.path);
    int room = max - said.length() - 2;
    if (!path.isEmpty() && room >= 12) {
      int head = room / 2;
      int tail = room - head - 1;
      return cut(path, 0, head) + "…" + path.substring(path.length() - tail) + ": " + said;
    }
    return cut(text, 0, max - 1) + "…";
  }

  private static String cut(String s, int from, int to) {
    return Character.isHighSurrogate(s.charAt(to - 1)) ? s.substring(from, to - 1) : s.substring(from, to);
  }

  static String escapeControls(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        if (out == null) {
          out = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }
}
