package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.RowError;
import io.flotilla.core.error.RowsRejectedException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.store.RegistryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates thousands of devices in one all-or-nothing transaction. Every row is checked first and
 * every bad row is reported, so a caller fixes the whole file in one round.
 */
public final class DeviceImport {
  public static final int MAX_ROWS = 100_000;

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;

  public DeviceImport(RegistryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
  }

  /**
   * Imports {@code rows}; {@code parseErrors} are problems an adapter found while reading the rows
   * (a CSV line with the wrong number of columns) and count as bad rows too.
   */
  public ImportResult importDevices(Principal principal, List<ObjectNode> rows, List<RowError> parseErrors) {
    principal.require(Permission.REGISTRY_WRITE);
    if (rows.isEmpty() && parseErrors.isEmpty()) {
      throw new ValidationException("", "the import holds no devices");
    }
    if (rows.size() > MAX_ROWS) {
      throw new ValidationException("", "the import holds " + rows.size() + " devices; at most " + MAX_ROWS
          + " are allowed in one call");
    }
    List<RowError> errors = new ArrayList<>(parseErrors);
    List<Device> devices = new ArrayList<>(rows.size());
    List<Integer> rowNumbers = new ArrayList<>(rows.size());
    Map<String, Integer> firstRowOfId = new HashMap<>();
    Instant now = clock.instant();
    for (int i = 0; i < rows.size(); i++) {
      int rowNumber = rowNumberOf(rows.get(i), i);
      readRow(principal, rows.get(i), rowNumber, now, firstRowOfId, errors).ifPresent(d -> {
        devices.add(d);
        rowNumbers.add(rowNumber);
      });
    }
    return store.write(tx -> {
      Set<String> profiles = new HashSet<>();
      tx.profiles().list(principal.tenant()).forEach(p -> profiles.add(p.id()));
      Set<DeviceId> taken = tx.devices().existing(principal.tenant(), devices.stream().map(Device::id).toList());
      Set<DeviceId> tombstoned = tx.tombstones().existing(principal.tenant(),
          devices.stream().map(Device::id).toList());
      for (int i = 0; i < devices.size(); i++) {
        Device d = devices.get(i);
        if (!profiles.contains(d.profile())) {
          errors.add(new RowError(rowNumbers.get(i), d.id().value(), "profile",
              "no device profile '" + d.profile() + "' exists in this tenant"));
        }
        if (taken.contains(d.id())) {
          errors.add(new RowError(rowNumbers.get(i), d.id().value(), "id", "a device with this id exists already"));
        } else if (tombstoned.contains(d.id())) {
          errors.add(new RowError(rowNumbers.get(i), d.id().value(), "id", "this id belonged to a device that was "
              + "decommissioned or deleted and is tombstoned; ids are never reused, choose another"));
        }
      }
      if (!errors.isEmpty()) {
        errors.sort(Comparator.comparingInt(RowError::row));
        throw new RowsRejectedException(rows.size() + parseErrors.size(), errors);
      }
      tx.devices().insertAll(devices);
      audit.recordAll(tx, principal, "device.import", "device", devices.stream()
          .map(d -> new AuditTrail.Change(d.id().value(), AuditTrail.ABSENT, EntityJson.device(d))).toList());
      return new ImportResult(devices.size());
    });
  }

  /** Adapters may carry the source row number in a {@code "#row"} field; it is not part of the device. */
  public static final String ROW_FIELD = "#row";

  private static int rowNumberOf(ObjectNode row, int index) {
    return row.has(ROW_FIELD) ? row.get(ROW_FIELD).asInt() : index + 1;
  }

  private static Optional<Device> readRow(Principal principal, ObjectNode row, int rowNumber, Instant now,
      Map<String, Integer> firstRowOfId, List<RowError> errors) {
    ObjectNode fieldsOnly = row.deepCopy();
    fieldsOnly.remove(ROW_FIELD);
    FieldReader r = FieldReader.of(fieldsOnly, DeviceFields.CREATE_FIELDS);
    String id = r.string("id").orElse("");
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(id)) {
      r.error("id", id.isEmpty() ? "is required" : Identifiers.describeInvalid(id));
    } else if (!id.isEmpty()) {
      Integer first = firstRowOfId.putIfAbsent(id, rowNumber);
      if (first != null) {
        r.error("id", "'" + id + "' appears twice in the import, first in row " + first);
      }
    }
    Optional<DeviceFields> fields = DeviceFields.read(r, id);
    for (FieldError e : r.errors()) {
      errors.add(new RowError(rowNumber, id, e.field(), e.message()));
    }
    return fields.filter(f -> !r.hasErrors()).map(f -> new Device(principal.tenant(), new DeviceId(id), f.name(),
        f.profile(), f.status(), f.tags(), f.attributes(), now, now, 1));
  }
}
