package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.RowError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.DeviceImport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a device import in CSV (RFC 4180: commas, double quotes, CRLF or LF). The header names the
 * columns: {@code id}, {@code profile}, {@code name}, {@code status}, {@code tag:<key>} for a tag
 * and {@code attr:<key>} for a string attribute. Data rows are numbered from 1.
 */
final class DeviceCsv {
  /** The rows read, and the rows that could not be read at all. */
  record Parsed(List<ObjectNode> rows, List<RowError> errors) {}

  private DeviceCsv() {}

  static Parsed parse(String text) {
    return parse(text, Set.of());
  }

  /** {@link #parse(String)} accepting also the columns {@code extraColumns} (a provisioning manifest's keys). */
  static Parsed parse(String text, Set<String> extraColumns) {
    List<List<String>> records = records(text);
    if (records.isEmpty()) {
      throw new ValidationException("", "the CSV is empty; its first line must be a header such as id,profile,name");
    }
    List<String> header = records.get(0);
    checkHeader(header, extraColumns);
    List<ObjectNode> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      List<String> cells = records.get(i);
      if (cells.size() == 1 && cells.get(0).isEmpty()) {
        continue;
      }
      if (cells.size() != header.size()) {
        errors.add(new RowError(i, cells.get(0), "", "has " + cells.size() + " columns but the header has "
            + header.size()));
        continue;
      }
      rows.add(row(header, cells, i));
    }
    return new Parsed(rows, errors);
  }

  private static ObjectNode row(List<String> header, List<String> cells, int rowNumber) {
    ObjectNode row = Json.object().put(DeviceImport.ROW_FIELD, rowNumber);
    for (int c = 0; c < header.size(); c++) {
      String column = header.get(c);
      String value = cells.get(c);
      if (value.isEmpty()) {
        continue;
      }
      if (column.startsWith("tag:")) {
        row.with("tags").put(column.substring(4), value);
      } else if (column.startsWith("attr:")) {
        row.with("attributes").put(column.substring(5), value);
      } else {
        row.put(column, value);
      }
    }
    return row;
  }

  private static void checkHeader(List<String> header, Set<String> extraColumns) {
    List<String> seen = new ArrayList<>();
    for (String column : header) {
      boolean known = column.equals("id") || column.equals("profile") || column.equals("name")
          || column.equals("status") || (column.startsWith("tag:") && column.length() > 4)
          || (column.startsWith("attr:") && column.length() > 5) || extraColumns.contains(column);
      if (!known) {
        throw new ValidationException("header", "column '" + column
            + "' is not known; use id, profile, name, status, tag:<key> or attr:<key>"
            + extraColumns.stream().sorted().map(c -> ", " + c).reduce("", String::concat));
      }
      if (seen.contains(column)) {
        throw new ValidationException("header", "column '" + column + "' appears twice");
      }
      seen.add(column);
    }
    if (!seen.contains("id")) {
      throw new ValidationException("header", "the header needs an 'id' column");
    }
  }

  /** Splits the text into records of fields, honouring quotes that span commas and line breaks. */
  static List<List<String>> records(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> current = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    for (int i = start; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"' && field.isEmpty()) {
        quoted = true;
      } else if (ch == ',') {
        current.add(field.toString());
        field.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        current.add(field.toString());
        field.setLength(0);
        records.add(current);
        current = new ArrayList<>();
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw new ValidationException("", "the CSV ends inside a quoted field; a closing '\"' is missing");
    }
    if (!field.isEmpty() || !current.isEmpty()) {
      current.add(field.toString());
      records.add(current);
    }
    return records;
  }
}
