package io.flotilla.core.error;

import java.util.List;

/** A bulk request was refused as a whole because of the listed rows; nothing was written. */
public final class RowsRejectedException extends DomainException {
  private final List<RowError> rows;
  private final int total;

  public RowsRejectedException(int total, List<RowError> rows) {
    super(rows.size() + " of " + total + " rows are invalid; nothing was imported");
    this.rows = List.copyOf(rows);
    this.total = total;
  }

  public List<RowError> rows() {
    return rows;
  }

  public int total() {
    return total;
  }

  @Override
  public String type() {
    return "rows-rejected";
  }
}
