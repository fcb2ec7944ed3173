package io.flotilla.core.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.error.LimitExceededException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TwinDocumentsTest {
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-01-02T00:00:00Z");

  private static JsonNode json(String text) {
    return Json.readTrusted(text);
  }

  /** The delta holds desired values reported lacks or differs in, nested objects key by key, arrays whole. */
  @Test
  void deltaListsOnlyWhatReportedDoesNotMatch() {
    JsonNode desired = json("{\"mode\":\"eco\",\"net\":{\"ssid\":\"a\",\"port\":1},\"list\":[1,2],\"same\":true}");
    JsonNode reported = json("{\"mode\":\"eco\",\"net\":{\"ssid\":\"b\",\"port\":1},\"list\":[1],\"same\":true,"
        + "\"extra\":5}");
    assertThat(TwinDocuments.delta(desired, reported)).isEqualTo(json("{\"net\":{\"ssid\":\"a\"},\"list\":[1,2]}"));
    assertThat(TwinDocuments.delta(desired, desired)).isEmpty();
    assertThat(TwinDocuments.delta(json("{\"n\":1}"), json("{\"n\":1.0}"))).isEqualTo(json("{\"n\":1}"));
  }

  /** Leaves the patch set get the new time, untouched leaves keep theirs, removed leaves lose their metadata. */
  @Test
  void metadataFollowsTheSectionShape() {
    JsonNode first = json("{\"a\":1,\"b\":{\"c\":\"x\",\"d\":[1]}}");
    JsonNode meta1 = TwinDocuments.metadata(first, first, Json.object(), T1);
    assertThat(meta1).isEqualTo(json("{\"a\":{\"updatedAt\":\"2026-01-01T00:00:00Z\"},\"b\":{\"c\":{\"updatedAt\":"
        + "\"2026-01-01T00:00:00Z\"},\"d\":{\"updatedAt\":\"2026-01-01T00:00:00Z\"}}}"));

    JsonNode patch = json("{\"b\":{\"c\":\"y\",\"d\":null},\"a\":{\"deep\":true}}");
    JsonNode second = Json.mergePatch(first, patch);
    JsonNode meta2 = TwinDocuments.metadata(second, patch, meta1, T2);
    assertThat(meta2).isEqualTo(json("{\"a\":{\"deep\":{\"updatedAt\":\"2026-01-02T00:00:00Z\"}},\"b\":{\"c\":"
        + "{\"updatedAt\":\"2026-01-02T00:00:00Z\"}}}"));

    JsonNode third = Json.mergePatch(second, json("{\"z\":0}"));
    assertThat(TwinDocuments.metadata(third, json("{\"z\":0}"), meta2, T1).path("b").path("c").path("updatedAt")
        .asText()).isEqualTo("2026-01-02T00:00:00Z");
  }

  /** A section over the depth or size limit is refused, naming the limit; one at the limit passes. */
  @Test
  void limitsRefuseTooDeepAndTooLarge() {
    TwinLimits limits = new TwinLimits(64, 3, 10);
    TwinDocuments.requireWithinLimits("desired", json("{\"a\":{\"b\":{\"c\":1}}}"), limits);
    assertThatThrownBy(() -> TwinDocuments.requireWithinLimits("desired", json("{\"a\":{\"b\":{\"c\":{}}}}"), limits))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.type()).isEqualTo("too-deep");
          assertThat(e.getMessage()).contains("4 levels").contains("limit of 3");
        });
    assertThatThrownBy(() -> TwinDocuments.requireWithinLimits("reported",
        Json.object().put("s", "x".repeat(60)), limits)).isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.type()).isEqualTo("too-large");
          assertThat(e.getMessage()).contains("reported would be 68 bytes").contains("limit of 64 bytes");
        });
  }

  /** Scalars of both sections are indexed under dotted paths; arrays and nulls are not. */
  @Test
  void leavesAreTheScalarsOfBothSections() {
    assertThat(TwinDocuments.leaves(json("{\"mode\":\"eco\"}"), json("{\"fw\":{\"v\":\"1.0\"},\"n\":2.5,\"on\":true,"
        + "\"arr\":[1]}"))).containsExactly(
            new TwinLeaf("desired.mode", TwinLeaf.Kind.STRING, "eco", 0),
            new TwinLeaf("reported.fw.v", TwinLeaf.Kind.STRING, "1.0", 0),
            new TwinLeaf("reported.n", TwinLeaf.Kind.NUMBER, "", 2.5),
            new TwinLeaf("reported.on", TwinLeaf.Kind.BOOLEAN, "", 1));
  }

  /** Conditions read their operator and the literal's type; malformed ones say how to write them. */
  @Test
  void conditionsParseOperatorsAndTypes() {
    assertThat(TwinCondition.parse("w", "reported.firmware.version<\"2.0\"")).isEqualTo(new TwinCondition(
        "reported.firmware.version", TwinCondition.Op.LT, new TwinLeaf("reported.firmware.version",
            TwinLeaf.Kind.STRING, "2.0", 0)));
    assertThat(TwinCondition.parse("w", "reported.battery >= 20").op()).isEqualTo(TwinCondition.Op.GE);
    assertThat(TwinCondition.parse("w", "reported.battery>=20").value().number()).isEqualTo(20.0);
    assertThat(TwinCondition.parse("w", "desired.mode!=eco").value())
        .isEqualTo(new TwinLeaf("desired.mode", TwinLeaf.Kind.STRING, "eco", 0));
    assertThat(TwinCondition.parse("w", "reported.on=true").value().kind()).isEqualTo(TwinLeaf.Kind.BOOLEAN);
    assertThatThrownBy(() -> TwinCondition.parse("where[0]", "firmware<2")).isInstanceOfSatisfying(
        ValidationException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("where[0]"));
    assertThatThrownBy(() -> TwinCondition.parse("w", "reported.on<true")).hasMessageContaining("only with = and !=");
    assertThatThrownBy(() -> TwinCondition.parse("w", "reported.x")).hasMessageContaining("no operator");
    assertThatThrownBy(() -> TwinCondition.parse("w", "reported.x=")).hasMessageContaining("missing");
  }

  /** Twin topics parse for the default and named twins of the asking device only. */
  @Test
  void topicsParseDefaultAndNamedTwins() {
    assertThat(TwinTopics.parse("devices/d1/twin/get", "d1")).contains(new TwinTopics.Request("default", "get"));
    assertThat(TwinTopics.parse("devices/d1/twins/cfg/report", "d1"))
        .contains(new TwinTopics.Request("cfg", "report"));
    assertThat(TwinTopics.parse("devices/d1/telemetry", "d1")).isEmpty();
    assertThat(TwinTopics.parse("devices/d2/twin/get", "d1")).isEqualTo(Optional.empty());
    assertThat(TwinTopics.delta("d1", "cfg")).isEqualTo("devices/d1/twins/cfg/delta");
    assertThat(TwinTopics.delta("d1", "default")).isEqualTo("devices/d1/twin/delta");
  }

  /** A string leaf is indexed up to 256 characters; a longer one (a certificate, a blob) is left out. */
  @Test
  void longStringsAreNotIndexed() {
    String longest = "x".repeat(TwinDocuments.MAX_INDEXED_TEXT);
    JsonNode reported = Json.object().put("fits", longest).put("blob", longest + "y");

    assertThat(TwinDocuments.leaves(Json.object(), reported)).extracting(TwinLeaf::path)
        .containsExactly("reported.fits");
  }
}
