package io.flotilla.core.twin;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a twin's history: the merge patch that made {@code version} from the version before.
 *
 * @param actor who changed it: {@code user:…/token:…} for desired, {@code device:<id>} for reported
 */
public record TwinChange(TenantId tenant, String device, String name, long version, Twin.Section section,
    JsonNode patch, String actor, Instant at) {
  public TwinChange {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(section, "section");
    patch = patch.deepCopy();
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
  }
}
