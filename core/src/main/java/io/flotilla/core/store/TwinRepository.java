package io.flotilla.core.store;

import io.flotilla.core.tenant.TenantId;
import io.flotilla.core.twin.Twin;
import io.flotilla.core.twin.TwinChange;
import io.flotilla.core.twin.TwinCondition;
import io.flotilla.core.twin.TwinLeaf;
import io.flotilla.core.twin.TwinMatch;
import java.util.List;
import java.util.Optional;

/**
 * Device twins, their history and the flattened index of their leaves ({@code device_twins}, {@code twin_history},
 * {@code twin_leaves}). Rows go with their device; decommissioning removes them explicitly.
 */
public interface TwinRepository {
  Optional<Twin> find(TenantId tenant, String device, String name);

  /**
   * {@link #find}, locking the row until the transaction ends where the engine locks rows (PostgreSQL), so that
   * writers of one twin take turns instead of failing each other's compare-and-set.
   */
  Optional<Twin> lock(TenantId tenant, String device, String name);

  /** The device's stored twins ordered by name. */
  List<Twin> list(TenantId tenant, String device);

  /** Stores a twin written for the first time; throws {@link DuplicateKeyException} when another writer won. */
  void insert(Twin twin);

  /** Replaces the stored twin if its version is still {@code expectedVersion}; false when it is not. */
  boolean update(Twin twin, long expectedVersion);

  /** Replaces the index rows of one twin with {@code leaves}. */
  void replaceLeaves(TenantId tenant, String device, String name, List<TwinLeaf> leaves);

  /** Appends a change and drops the twin's changes older than the newest {@code kept}. */
  void appendHistory(TwinChange change, int kept);

  /** The twin's changes newest first, below {@code beforeVersion} when given. */
  List<TwinChange> history(TenantId tenant, String device, String name, Optional<Long> beforeVersion, int limit);

  /**
   * Devices whose twin {@code name} matches every condition, ordered by device id, after {@code afterDevice} when
   * given.
   */
  List<TwinMatch> query(TenantId tenant, String name, List<TwinCondition> conditions, Optional<String> afterDevice,
      int limit);

  /** Removes every twin of the device with its history and index rows; returns how many twins there were. */
  int deleteAll(TenantId tenant, String device);
}
