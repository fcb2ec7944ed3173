package io.flotilla.core.acl;

import io.flotilla.core.error.ValidationException;
import java.util.Optional;

/**
 * The topic filter of a {@link TopicRule}: a valid MQTT topic filter about ordinary topics only, which may
 * use {@code {deviceId}} as a whole level for the id of the device asking ({@code sites/+/status/{deviceId}}).
 *
 * <p>Refused: a first level {@code devices} (the platform's device namespaces, which only their device
 * uses), a first level starting with {@code $} (system and shared-subscription topics), a first level
 * {@code +} or {@code #} (which would match those too), and {@code {deviceId}} as the first level (a
 * device called {@code devices} would make it the platform namespace).
 */
public final class RuleFilter {
  /** The variable that stands for the asking device's id. */
  public static final String DEVICE_ID = "{deviceId}";
  /** Longest filter accepted, in characters; rules name topic trees, not payloads. */
  public static final int MAX_LENGTH = 1024;
  static final String FIELD = "topicFilter";
  private static final String DEVICES = "devices";

  private final String text;
  private final String[] levels;
  private final int deviceIdLevel;

  private RuleFilter(String text, String[] levels, int deviceIdLevel) {
    this.text = text;
    this.levels = levels;
    this.deviceIdLevel = deviceIdLevel;
  }

  /** Parses a rule filter; throws a {@link ValidationException} on field {@code topicFilter} saying why not. */
  public static RuleFilter parse(String text) {
    Optional<String> problem = problem(text);
    if (problem.isPresent()) {
      throw new ValidationException(FIELD, problem.get());
    }
    String[] levels = TopicFilters.levels(text);
    int variable = -1;
    for (int i = 0; i < levels.length; i++) {
      if (levels[i].equals(DEVICE_ID)) {
        variable = i;
        break;
      }
    }
    return new RuleFilter(text, levels, variable);
  }

  /** Why {@code text} cannot be a rule's filter, or empty when it can. */
  public static Optional<String> problem(String text) {
    if (text.isEmpty()) {
      return Optional.of("is required: an MQTT topic filter such as fleet/alerts or sites/+/status/{deviceId}");
    }
    if (text.length() > MAX_LENGTH) {
      return Optional.of("is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("must not contain control characters");
    }
    String[] levels = TopicFilters.levels(text);
    String first = levels[0];
    if (first.equals(DEVICES)) {
      return Optional.of("'" + abbreviate(text) + "' is in the platform's device namespaces (devices/…), which "
          + "only their own device uses; rules grant ordinary topics only");
    }
    if (first.startsWith("$")) {
      return Optional.of("'" + abbreviate(text) + "' is a system topic ($…); rules grant ordinary topics only");
    }
    if (TopicFilters.isWildcard(first)) {
      return Optional.of("'" + abbreviate(text) + "' starts with a wildcard, which would also match device "
          + "namespaces and system topics; start with a topic name such as fleet/#");
    }
    if (first.equals(DEVICE_ID)) {
      return Optional.of("must not start with " + DEVICE_ID + "; put it below a topic name, e.g. status/"
          + DEVICE_ID);
    }
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#")) {
        if (i != levels.length - 1) {
          return Optional.of("may use '#' only as the last level");
        }
      } else if (!level.equals("+") && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
        return Optional.of("may use '+' and '#' only as whole levels, e.g. sites/+/status or fleet/#");
      } else if (!level.equals(DEVICE_ID) && (level.indexOf('{') >= 0 || level.indexOf('}') >= 0)) {
        return Optional.of("may use the variable " + DEVICE_ID + " only as a whole level, and no other {…}");
      }
    }
    return Optional.empty();
  }

  public String text() {
    return text;
  }

  public boolean usesDeviceId() {
    return deviceIdLevel >= 0;
  }

  /**
   * The filter's levels for one device, with {@code {deviceId}} replaced by its id; empty when the id could
   * not be a single topic level (then the rule grants that device nothing).
   */
  public Optional<String[]> levelsFor(String deviceId) {
    if (deviceIdLevel < 0) {
      return Optional.of(levels);
    }
    if (deviceId.isEmpty() || deviceId.indexOf('/') >= 0 || deviceId.indexOf('+') >= 0
        || deviceId.indexOf('#') >= 0) {
      return Optional.empty();
    }
    String[] resolved = levels.clone();
    for (int i = deviceIdLevel; i < resolved.length; i++) {
      if (resolved[i].equals(DEVICE_ID)) {
        resolved[i] = deviceId;
      }
    }
    return Optional.of(resolved);
  }

  /** The filter for one device as text, e.g. {@code status/pump-1}; empty as for {@link #levelsFor}. */
  public Optional<String> forDevice(String deviceId) {
    return levelsFor(deviceId).map(l -> String.join("/", l));
  }

  /** Whether the filter, for {@code deviceId}, matches the topic name split into levels. */
  public boolean matches(String[] topicLevels, String deviceId) {
    return levelsFor(deviceId).map(l -> TopicFilters.matches(l, topicLevels)).orElse(false);
  }

  /** Whether the filter, for {@code deviceId}, covers every topic the requested filter can match. */
  public boolean covers(String[] filterLevels, String deviceId) {
    return levelsFor(deviceId).map(l -> TopicFilters.covers(l, filterLevels)).orElse(false);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RuleFilter f && f.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  private static String abbreviate(String value) {
    return value.length() <= 60 ? value : value.substring(0, 60) + "…";
  }
}
