package io.flotilla.core.audit;

/** The last record of a tenant's chain, kept apart so that deleting the newest record is detected too. */
public record ChainHead(long seq, String hash) {
  public static final ChainHead EMPTY = new ChainHead(0, AuditChain.GENESIS);
}
