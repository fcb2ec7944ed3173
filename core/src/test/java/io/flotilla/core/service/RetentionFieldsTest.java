package io.flotilla.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a profile's {@code retention} is read from what a caller sent, and how mistakes are reported. */
class RetentionFieldsTest {

  /** Without a retention, or with null, the profile has none of its own and follows the default. */
  @Test
  void absentOrNullRetentionMeansTheDefault() {
    assertThat(read("{}")).isEmpty();
    assertThat(read("{\"retention\":null}")).isEmpty();
  }

  /** All three tiers given are taken as they are. */
  @Test
  void allThreeTiersAreTaken() {
    assertThat(read("{\"retention\":{\"rawDays\":7,\"minuteDays\":30,\"hourDays\":365}}"))
        .contains(new RetentionPolicy(7, 30, 365));
  }

  /** A tier left out takes the default's value, as a merge patch onto the default would. */
  @Test
  void tiersLeftOutTakeTheDefault() {
    assertThat(read("{\"retention\":{\"rawDays\":1}}")).contains(new RetentionPolicy(1, 90, 730));
    assertThat(read("{\"retention\":{\"hourDays\":3650}}")).contains(new RetentionPolicy(30, 90, 3650));
  }

  /** Wrong types, fractions and unknown tiers are each reported under retention. */
  @Test
  void wrongValuesAreReportedByPath() {
    assertThat(errors("{\"retention\":{\"rawDays\":\"30\",\"minuteDays\":1.5,\"weekDays\":2}}")).containsExactly(
        new FieldError("retention.weekDays", "is not a known field; known fields are [hourDays, minuteDays, rawDays]"),
        new FieldError("retention.rawDays", "must be an integer"),
        new FieldError("retention.minuteDays", "must be an integer"));
    assertThat(errors("{\"retention\":30}")).containsExactly(new FieldError("retention", "must be a JSON object"));
  }

  /** A rule broken by a tier the caller left out says so, as the caller may not know the default. */
  @Test
  void brokenRuleNamesATierLeftOutAsTheDefault() {
    assertThat(errors("{\"retention\":{\"rawDays\":100}}")).containsExactly(new FieldError("retention.minuteDays",
        "is 90 but must be at least rawDays (100): the 1-minute rollups answer for raw points once those have "
            + "expired; it was left out, so it has the default: send a value that fits"));
    assertThat(errors("{\"retention\":{\"rawDays\":0,\"minuteDays\":90}}")).containsExactly(
        new FieldError("retention.rawDays", "is 0 but must be a whole number of days from 1 to 36500"));
  }

  private static Optional<RetentionPolicy> read(String json) {
    FieldReader r = reader(json);
    Optional<RetentionPolicy> retention = RetentionFields.read(r);
    r.throwIfErrors();
    return retention;
  }

  private static List<FieldError> errors(String json) {
    FieldReader r = reader(json);
    assertThat(RetentionFields.read(r)).isEmpty();
    assertThatThrownBy(r::throwIfErrors).isInstanceOf(ValidationException.class);
    return r.errors();
  }

  private static FieldReader reader(String json) {
    return FieldReader.of((ObjectNode) Json.readTrusted(json), Set.of(RetentionFields.FIELD));
  }
}
