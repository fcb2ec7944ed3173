package io.flotilla.core.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * A device as a caller describes it, before validation: every field is as received, so that the
 * service can report each problem with its field path instead of failing on the first.
 */
public record DeviceDraft(Optional<String> id, Optional<String> name, Optional<String> profile,
    Optional<String> status, Map<String, String> tags, Optional<ObjectNode> attributes) {
  public DeviceDraft {
    tags = Map.copyOf(tags);
  }
}
