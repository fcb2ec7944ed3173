package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.error.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceCsvTest {
  /** Quotes may hold commas, doubled quotes and line breaks; CRLF and LF both end records. */
  @Test
  void readsRfc4180Quoting() {
    List<List<String>> records = DeviceCsv.records("id,name\r\n\"a,1\",\"say \"\"hi\"\"\"\nb,\"two\nlines\"\n");
    assertThat(records).containsExactly(List.of("id", "name"), List.of("a,1", "say \"hi\""),
        List.of("b", "two\nlines"));
  }

  /** Tag and attribute columns become nested objects; empty cells are left out; rows count from 1. */
  @Test
  void mapsColumnsToDeviceFields() {
    DeviceCsv.Parsed parsed = DeviceCsv.parse("id,profile,tag:site,attr:serial\np1,pump,berlin,\np2,pump,,S-2\n");
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.rows().get(0).toString())
        .isEqualTo("{\"#row\":1,\"id\":\"p1\",\"profile\":\"pump\",\"tags\":{\"site\":\"berlin\"}}");
    assertThat(parsed.rows().get(1).toString())
        .isEqualTo("{\"#row\":2,\"id\":\"p2\",\"profile\":\"pump\",\"attributes\":{\"serial\":\"S-2\"}}");
  }

  @Test
  void reportsRowsWithTheWrongNumberOfColumns() {
    DeviceCsv.Parsed parsed = DeviceCsv.parse("id,profile\np1,pump\np2\np3,pump,extra\n");
    assertThat(parsed.rows()).hasSize(1);
    assertThat(parsed.errors()).extracting(e -> e.row()).containsExactly(2, 3);
  }

  @Test
  void refusesUnknownColumnsAndUnclosedQuotes() {
    assertThatThrownBy(() -> DeviceCsv.parse("id,colour\na,red\n")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("column 'colour' is not known");
    assertThatThrownBy(() -> DeviceCsv.parse("id\n\"a\n")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("quoted field");
    assertThatThrownBy(() -> DeviceCsv.parse("profile\npump\n")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("'id' column");
  }

  /** A provisioning manifest's key columns are taken where allowed, multi-line PEMs in quotes; elsewhere refused. */
  @Test
  void takesExtraColumnsOnlyWhereAllowed() {
    String csv = "id,profile,csrPem\np1,pump,\"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n\"\n";
    DeviceCsv.Parsed parsed = DeviceCsv.parse(csv, java.util.Set.of("csrPem", "publicKeyPem"));
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.rows().get(0).path("csrPem").asText()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\nAAAA");
    assertThatThrownBy(() -> DeviceCsv.parse(csv)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("column 'csrPem' is not known");
  }
}
