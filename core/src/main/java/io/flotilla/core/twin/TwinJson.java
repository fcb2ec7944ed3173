package io.flotilla.core.twin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;

/** The JSON forms of twins for the REST API and the MQTT twin topics, so that both say the same. */
public final class TwinJson {
  private TwinJson() {}

  /** The whole twin as devices receive it on {@code …/get/accepted}: name, version, sections, delta, metadata. */
  public static ObjectNode document(Twin twin) {
    ObjectNode out = Json.object().put("name", twin.name()).put("version", twin.version());
    out.set("desired", twin.desired());
    out.set("reported", twin.reported());
    out.set("delta", twin.delta());
    out.set("metadata", twin.metadata());
    return out;
  }

  /** The twin as the REST API returns it: the document with its device and times. */
  public static ObjectNode entity(Twin twin) {
    ObjectNode out = Json.object().put("deviceId", twin.device());
    out.setAll(document(twin));
    out.put("createdAt", twin.createdAt().toString()).put("updatedAt", twin.updatedAt().toString());
    return out;
  }

  /** One history entry. */
  public static ObjectNode change(TwinChange change) {
    ObjectNode out = Json.object().put("version", change.version()).put("section", change.section().wireName());
    out.set("patch", change.patch());
    return out.put("actor", change.actor()).put("at", change.at().toString());
  }

  /** The summary of a twin in a device's list of twins. */
  public static ObjectNode summary(Twin twin) {
    return Json.object().put("name", twin.name()).put("version", twin.version())
        .put("updatedAt", twin.updatedAt().toString());
  }
}
