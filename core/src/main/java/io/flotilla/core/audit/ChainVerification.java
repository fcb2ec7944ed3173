package io.flotilla.core.audit;

import java.util.Optional;

/**
 * The outcome of checking a chain from its first record to its head.
 *
 * @param firstBadSeq the first record found altered, missing or out of place
 */
public record ChainVerification(boolean valid, long recordsChecked, Optional<Long> firstBadSeq, String detail) {
  public static ChainVerification ok(long checked) {
    return new ChainVerification(true, checked, Optional.empty(), "the chain of " + checked + " records is intact");
  }

  public static ChainVerification broken(long checked, long seq, String detail) {
    return new ChainVerification(false, checked, Optional.of(seq), detail);
  }
}
