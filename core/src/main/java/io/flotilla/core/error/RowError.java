package io.flotilla.core.error;

/**
 * A bad row of a bulk request.
 *
 * @param row 1-based position among the data rows (a CSV header is not counted)
 * @param id the row's entity id where it could be read, else empty
 */
public record RowError(int row, String id, String field, String message) {}
