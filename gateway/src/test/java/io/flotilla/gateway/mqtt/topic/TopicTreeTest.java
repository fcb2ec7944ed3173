package io.flotilla.gateway.mqtt.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.broker.SubscriptionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The subscription tree finds exactly the matching subscriptions and prunes itself. */
class TopicTreeTest {

  private final TopicTree<String> tree = new TopicTree<>();

  private void subscribe(String subscriber, String filter) {
    tree.subscribe(TopicFilter.parse(filter).orElseThrow(), subscriber,
        new SubscriptionState(filter, 1, false, false, 0, Optional.empty()));
  }

  private List<String> match(String topic) {
    List<String> hits = new ArrayList<>();
    tree.match(topic, new MatchSink<>() {
      @Override
      public void subscriber(String subscriber, SubscriptionState subscription) {
        hits.add(subscriber + ":" + subscription.topicFilter());
      }

      @Override
      public void shared(SharedGroup<String> group) {
        hits.add("group:" + group.name());
      }
    });
    return hits;
  }

  @Test
  void wildcardsMatchAsSpecified() {
    subscribe("s", "sport/tennis/player1/#");
    subscribe("s", "sport/+/player1");
    subscribe("s", "+/+");
    subscribe("s", "/+");
    subscribe("s", "#");
    assertThat(match("sport/tennis/player1")).containsExactlyInAnyOrder("s:sport/tennis/player1/#",
        "s:sport/+/player1", "s:#");
    assertThat(match("sport/tennis/player1/ranking")).containsExactlyInAnyOrder("s:sport/tennis/player1/#", "s:#");
    assertThat(match("/finance")).containsExactlyInAnyOrder("s:+/+", "s:/+", "s:#");
    assertThat(match("sport")).containsExactlyInAnyOrder("s:#");
  }

  @Test
  void dollarTopicsNeedAnExplicitFirstLevel() {
    subscribe("s", "#");
    subscribe("s", "+/monitor/Clients");
    subscribe("s", "$SYS/#");
    subscribe("s", "$SYS/monitor/+");
    assertThat(match("$SYS/monitor/Clients")).containsExactlyInAnyOrder("s:$SYS/#", "s:$SYS/monitor/+");
  }

  @Test
  void sharedGroupsAreReportedOncePerGroup() {
    tree.subscribe(TopicFilter.parse("$share/g/a/#").orElseThrow(), "x",
        new SubscriptionState("$share/g/a/#", 1, false, false, 0, Optional.empty()));
    tree.subscribe(TopicFilter.parse("$share/g/a/#").orElseThrow(), "y",
        new SubscriptionState("$share/g/a/#", 1, false, false, 0, Optional.empty()));
    assertThat(match("a/b")).containsExactly("group:g");
  }

  @Test
  void unsubscribingPrunesTheTree() {
    subscribe("a", "x/y/z");
    subscribe("b", "x/+/z");
    assertThat(tree.unsubscribe(TopicFilter.parse("x/y/z").orElseThrow(), "a")).isTrue();
    assertThat(tree.unsubscribe(TopicFilter.parse("x/y/z").orElseThrow(), "a")).isFalse();
    assertThat(match("x/y/z")).containsExactly("b:x/+/z");
    assertThat(tree.unsubscribe(TopicFilter.parse("x/+/z").orElseThrow(), "b")).isTrue();
    assertThat(tree.isEmpty()).isTrue();
  }

  @Test
  void sharedGroupPicksRoundRobinPreferringOnlineMembers() {
    tree.subscribe(TopicFilter.parse("$share/g/t").orElseThrow(), "a",
        new SubscriptionState("$share/g/t", 0, false, false, 0, Optional.empty()));
    tree.subscribe(TopicFilter.parse("$share/g/t").orElseThrow(), "b",
        new SubscriptionState("$share/g/t", 0, false, false, 0, Optional.empty()));
    List<SharedGroup<String>> groups = new ArrayList<>();
    tree.match("t", new MatchSink<>() {
      @Override
      public void subscriber(String subscriber, SubscriptionState subscription) {
      }

      @Override
      public void shared(SharedGroup<String> group) {
        groups.add(group);
      }
    });
    SharedGroup<String> g = groups.get(0);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(g.pick(s -> true).subscriber());
    }
    assertThat(picks).containsExactly("a", "b", "a", "b");
    assertThat(g.pick(s -> s.equals("b")).subscriber()).isEqualTo("b");
    assertThat(g.pick(s -> s.equals("b")).subscriber()).isEqualTo("b");
  }
}
