package io.flotilla.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static JsonNode parse(String text) {
    return Json.readTrusted(text);
  }

  /** The examples of RFC 7386 section 3 hold. */
  @Test
  void mergePatchFollowsRfc7386() {
    JsonNode target = parse("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}");
    JsonNode patch = parse("{\"a\":\"z\",\"c\":{\"f\":null}}");
    assertThat(Json.mergePatch(target, patch)).isEqualTo(parse("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"));
    assertThat(Json.mergePatch(parse("{\"a\":[\"b\"]}"), parse("{\"a\":\"c\"}"))).isEqualTo(parse("{\"a\":\"c\"}"));
    assertThat(Json.mergePatch(parse("{\"a\":\"foo\"}"), parse("null"))).isEqualTo(parse("null"));
    assertThat(Json.mergePatch(parse("{\"e\":null}"), parse("{\"a\":1}"))).isEqualTo(parse("{\"e\":null,\"a\":1}"));
    assertThat(Json.mergePatch(parse("{}"), parse("{\"a\":{\"bb\":{\"ccc\":null}}}")))
        .isEqualTo(parse("{\"a\":{\"bb\":{}}}"));
  }

  /** Canonical text is the same whatever order the keys arrived in. */
  @Test
  void canonicalSortsKeysAtEveryDepth() {
    assertThat(Json.canonical(parse("{\"b\":1,\"a\":{\"y\":[{\"d\":1,\"c\":2}],\"x\":true}}")))
        .isEqualTo("{\"a\":{\"x\":true,\"y\":[{\"c\":2,\"d\":1}]},\"b\":1}");
  }

  @Test
  void depthCountsContainers() {
    assertThat(Json.depth(parse("1"))).isZero();
    assertThat(Json.depth(parse("{}"))).isEqualTo(1);
    assertThat(Json.depth(parse("{\"a\":[{\"b\":1}]}"))).isEqualTo(3);
  }
}
