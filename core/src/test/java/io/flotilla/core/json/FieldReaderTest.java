package io.flotilla.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldReaderTest {
  /** Every problem is reported with its path, not only the first. */
  @Test
  void collectsEveryProblemWithItsPath() {
    ObjectNode body = (ObjectNode) Json.readTrusted(
        "{\"id\":7,\"tags\":{\"site\":\"x\",\"floor\":3},\"colour\":\"red\",\"list\":[\"a\",1]}");
    FieldReader r = FieldReader.of(body, Set.of("id", "tags", "list"));
    r.string("id");
    r.stringMap("tags");
    r.stringList("list");
    assertThat(r.errors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("colour", "id", "tags.floor", "list[1]");
    assertThatThrownBy(r::throwIfErrors).isInstanceOf(ValidationException.class)
        .hasMessageContaining("(and 3 more)");
  }

  /** Nested readers report with the parent's path as prefix. */
  @Test
  void nestedReaderPrefixesPaths() {
    ObjectNode body = (ObjectNode) Json.readTrusted("{\"filter\":{\"status\":1,\"nope\":true}}");
    FieldReader r = FieldReader.of(body, Set.of("filter"));
    r.nested("filter", Set.of("status")).orElseThrow().string("status");
    assertThat(r.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("filter.nope", "filter.status");
  }

  @Test
  void nullMeansAbsent() {
    FieldReader r = FieldReader.of((ObjectNode) Json.readTrusted("{\"name\":null}"), Set.of("name"));
    assertThat(r.string("name")).isEmpty();
    assertThat(r.hasErrors()).isFalse();
  }
}
