package io.flotilla.core.twin;

/**
 * How much of a twin the platform keeps.
 *
 * @param maxSectionBytes largest size of one section as compact JSON (UTF-8)
 * @param maxDepth deepest nesting of one section: {@code {}} is 1, {@code {"a":{"b":1}}} is 2
 * @param historyKept changes kept per twin in its history; older ones are dropped as new ones come
 */
public record TwinLimits(int maxSectionBytes, int maxDepth, int historyKept) {
  /** 32 KiB per section, depth 10, the last 1000 changes. */
  public static final TwinLimits DEFAULT = new TwinLimits(32 * 1024, 10, 1000);

  public TwinLimits {
    if (maxSectionBytes < 2 || maxDepth < 1 || historyKept < 1) {
      throw new IllegalArgumentException("twin limits must be positive");
    }
  }
}
