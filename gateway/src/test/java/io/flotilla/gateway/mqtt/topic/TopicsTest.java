package io.flotilla.gateway.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Topic name and filter rules of MQTT section 4.7. */
class TopicsTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", "/", "a//b", "$SYS/x", "sport/tennis/player1", " "})
  void validNames(String name) {
    assertThat(Topics.isValidName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/+", "#", "a/#", "a\u0000b"})
  void invalidNames(String name) {
    assertThat(Topics.isValidName(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"#", "+", "a/#", "a/+/b", "+/+", "/+", "a//#", "$SYS/#", "+/tennis/#"})
  void validFilters(String filter) {
    assertThat(Topics.isValidFilter(filter)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a#", "a/#/b", "a/b#", "a+", "a/+b", "#/a", "a\u0000"})
  void invalidFilters(String filter) {
    assertThat(Topics.isValidFilter(filter)).isFalse();
  }

  @Test
  void levelsKeepEmptyLevels() {
    assertThat(Topics.levels("a//b")).containsExactly("a", "", "b");
    assertThat(Topics.levels("/")).containsExactly("", "");
    assertThat(Topics.levels("a/")).containsExactly("a", "");
    assertThat(Topics.levels("a")).containsExactly("a");
  }

  @Test
  void sharedFiltersAreParsed() {
    TopicFilter f = TopicFilter.parse("$share/group/a/+").orElseThrow();
    assertThat(f.shareGroup()).contains("group");
    assertThat(f.filter()).isEqualTo("a/+");
    assertThat(TopicFilter.parse("$share/group")).isEmpty();
    assertThat(TopicFilter.parse("$share//a")).isEmpty();
    assertThat(TopicFilter.parse("$share/g+/a")).isEmpty();
    assertThat(TopicFilter.parse("$share/g/a/#/b")).isEmpty();
    assertThat(TopicFilter.parse("a/b").orElseThrow().isShared()).isFalse();
  }
}
