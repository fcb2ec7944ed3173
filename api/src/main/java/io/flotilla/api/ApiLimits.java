package io.flotilla.api;

/**
 * Request size limits.
 *
 * @param maxBodyBytes largest body of an ordinary request
 * @param maxBulkBodyBytes largest body of a bulk import
 */
public record ApiLimits(long maxBodyBytes, long maxBulkBodyBytes) {
  public ApiLimits {
    if (maxBodyBytes < 1024 || maxBulkBodyBytes < maxBodyBytes) {
      throw new IllegalArgumentException("body limits must be at least 1 KiB, and the bulk limit at least the ordinary one");
    }
  }
}
