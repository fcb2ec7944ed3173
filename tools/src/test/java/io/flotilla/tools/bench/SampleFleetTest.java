package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleFleetTest {
  /** The filtered list measure relies on its filter matching exactly 1/60 of the fleet. */
  @Test
  void theFilteredListMatchesOneSixtiethOfTheFleet() {
    DeviceFilter filter = SampleFleet.oneProfileAtOneSite();
    List<ObjectNode> rows = SampleFleet.rows(0, 6000);
    long matching = rows.stream()
        .filter(row -> row.get("profile").asText().equals(filter.profile().orElseThrow()))
        .filter(row -> row.get("tags").get("site").asText().equals(filter.tags().get("site")))
        .count();
    assertThat(matching).isEqualTo(100);
  }

  @Test
  void idsAreNumberedFromOne() {
    assertThat(SampleFleet.rows(0, 2)).extracting(row -> row.get("id").asText())
        .containsExactly("dev-000001", "dev-000002");
    assertThat(SampleFleet.deviceId(99_999)).isEqualTo("dev-100000");
  }
}
