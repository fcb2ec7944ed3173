package io.flotilla.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a registered CA's provisioning template is read from what a caller sent, and how mistakes are reported. */
class TemplateFieldsTest {

  /** Only the profile is required: the id comes from the common name and the device works at once. */
  @Test
  void aProfileAloneGivesTheDefaults() {
    assertThat(read("{\"template\":{\"profile\":\"meter\"}}").template()).contains(new ProvisioningTemplate("meter",
        List.of(), Map.of(), IdSource.CN, Approval.AUTO, Optional.empty()));
  }

  /** Every field is taken; repeated groups count once. */
  @Test
  void everyFieldIsTaken() {
    ProvisioningTemplate t = read("{\"template\":{\"profile\":\"meter\",\"groups\":[\"a\",\"b\",\"a\"],"
        + "\"tags\":{\"site\":\"north\"},\"idFrom\":\"san-uri\",\"approval\":\"pending\",\"initialTwin\":{\"x\":1}}}")
        .template().orElseThrow();
    assertThat(t.groups()).containsExactly("a", "b");
    assertThat(t.tags()).containsEntry("site", "north");
    assertThat(t.idFrom()).isEqualTo(IdSource.SAN_URI);
    assertThat(t.approval()).isEqualTo(Approval.PENDING);
    assertThat(t.initialTwin()).map(n -> n.path("x").asInt()).contains(1);
  }

  /** Every mistake is reported at its path, at once: nothing is taken from a template with any. */
  @Test
  void everyMistakeIsReportedAtItsPath() {
    Reading r = read("{\"template\":{\"groups\":[\"ok\",\"bad id!\"],\"tags\":{\"bad key!\":\"v\"},"
        + "\"idFrom\":\"serial\",\"approval\":\"maybe\",\"extra\":1}}");
    assertThat(r.template()).isEmpty();
    assertThat(r.errors()).extracting(FieldError::field).contains("template.profile", "template.groups[1]",
        "template.tags.bad key!", "template.idFrom", "template.approval", "template.extra");
    assertThat(r.errors()).filteredOn(e -> e.field().equals("template.idFrom")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("cn, san-dns or san-uri"));
  }

  /** A missing template is required; one that is not an object says so. */
  @Test
  void templateIsRequired() {
    assertThat(read("{}").errors()).extracting(FieldError::field).containsExactly("template");
    assertThat(read("{\"template\":\"meter\"}").errors()).extracting(FieldError::field).containsExactly("template");
  }

  private record Reading(Optional<ProvisioningTemplate> template, List<FieldError> errors) {}

  private static Reading read(String json) {
    try {
      FieldReader r = FieldReader.of((ObjectNode) Json.MAPPER.readTree(json), Set.of("template"));
      Optional<ProvisioningTemplate> template = TemplateFields.read(r, "template");
      return new Reading(template, r.errors());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
