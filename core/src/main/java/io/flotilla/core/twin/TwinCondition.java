package io.flotilla.core.twin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One condition on a twin leaf, as written in a query: {@code reported.firmware.version<"2.0"},
 * {@code desired.mode=eco}, {@code reported.battery>=20}, {@code reported.online=true}.
 *
 * <p>The literal's type decides what it compares with: {@code "…"} (JSON string) or a bare word is a string
 * (compared byte by byte), a number is a number, {@code true}/{@code false} a boolean (only = and !=). A leaf of
 * another type never matches, except with != (it differs). Leaves inside arrays are not indexed.
 */
public record TwinCondition(String path, Op op, TwinLeaf value) {
  /** Comparison operators, longest spelling first so that parsing finds {@code <=} before {@code <}. */
  public enum Op {
    LE("<=", "<="), GE(">=", ">="), NE("!=", "<>"), EQ("=", "="), LT("<", "<"), GT(">", ">");

    private final String spelling;
    private final String sql;

    Op(String spelling, String sql) {
      this.spelling = spelling;
      this.sql = sql;
    }

    public String spelling() {
      return spelling;
    }

    /** The SQL operator, the same on every engine. */
    public String sql() {
      return sql;
    }
  }

  public TwinCondition {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
  }

  /** Parses {@code text}; a problem is a {@link ValidationException} at {@code field} saying how to write it. */
  public static TwinCondition parse(String field, String text) {
    int at = -1;
    for (int i = 0; i < text.length() && at < 0; i++) {
      if ("<>=!".indexOf(text.charAt(i)) >= 0) {
        at = i;
      }
    }
    if (at < 0) {
      throw invalid(field, "'" + text + "' has no operator");
    }
    Op op = null;
    for (Op candidate : Op.values()) {
      if (text.startsWith(candidate.spelling, at)) {
        op = candidate;
        break;
      }
    }
    if (op == null) {
      throw invalid(field, "'" + text + "' has no operator");
    }
    String path = text.substring(0, at).trim();
    String literal = text.substring(at + op.spelling.length()).trim();
    if (!(path.startsWith("desired.") || path.startsWith("reported.")) || path.endsWith(".") || path.contains("..")) {
      throw invalid(field, "the path '" + path + "' must start with desired. or reported. and name the keys down to "
          + "a leaf");
    }
    TwinLeaf value = literal(field, path, literal);
    if (value.kind() == TwinLeaf.Kind.BOOLEAN && op != Op.EQ && op != Op.NE) {
      throw new ValidationException(field, "booleans compare only with = and !=");
    }
    return new TwinCondition(path, op, value);
  }

  private static TwinLeaf literal(String field, String path, String literal) {
    if (literal.isEmpty()) {
      throw invalid(field, "the value after the operator is missing");
    }
    if (literal.startsWith("\"")) {
      try {
        JsonNode node = Json.MAPPER.readTree(literal);
        if (node.isTextual()) {
          return new TwinLeaf(path, TwinLeaf.Kind.STRING, node.textValue(), 0);
        }
      } catch (JsonProcessingException e) {
        // reported below
      }
      throw invalid(field, "the quoted value " + literal + " is not a JSON string");
    }
    if (literal.equals("true") || literal.equals("false")) {
      return new TwinLeaf(path, TwinLeaf.Kind.BOOLEAN, "", literal.equals("true") ? 1 : 0);
    }
    try {
      return new TwinLeaf(path, TwinLeaf.Kind.NUMBER, "", new BigDecimal(literal).doubleValue());
    } catch (NumberFormatException e) {
      return new TwinLeaf(path, TwinLeaf.Kind.STRING, literal, 0);
    }
  }

  private static ValidationException invalid(String field, String problem) {
    return new ValidationException(field, problem + "; write <section>.<key>…<op><value> with op one of "
        + "=, !=, <, <=, >, >=, e.g. reported.firmware.version<\"2.0\" or reported.battery>=20");
  }
}
