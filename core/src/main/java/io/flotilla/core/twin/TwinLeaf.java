package io.flotilla.core.twin;

import java.util.Objects;

/**
 * One scalar leaf of a twin as the query index keeps it: {@code reported.firmware.version} = {@code "1.4.2"}.
 * Strings keep {@code text}, numbers and booleans (1 for true, 0 for false) keep {@code number}.
 *
 * @param path the section and the keys down to the leaf, joined with dots
 */
public record TwinLeaf(String path, Kind kind, String text, double number) {
  public TwinLeaf {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }

  /** The types of leaf the index keeps; arrays and nulls are not indexed. */
  public enum Kind {
    STRING("s"), NUMBER("n"), BOOLEAN("b");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The one-letter code stored in the index. */
    public String code() {
      return code;
    }
  }
}
