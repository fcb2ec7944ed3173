package io.flotilla.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandAnswerTest {

  private static CommandAnswer parse(String json) throws CommandAnswer.Invalid {
    return CommandAnswer.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Status, any JSON result and a message are read; result and message are optional. */
  @Test
  void answersAreRead() throws Exception {
    CommandAnswer full = parse("{\"status\":\"failed\",\"result\":[1,2],\"message\":\"too hot\"}");
    assertThat(full.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(full.result().orElseThrow().size()).isEqualTo(2);
    assertThat(full.message()).contains("too hot");
    CommandAnswer bare = parse("{\"status\":\"succeeded\"}");
    assertThat(bare.result()).isEmpty();
    assertThat(bare.message()).isEmpty();
  }

  /** Each kind of bad answer is refused with its own kebab-case reason. */
  @Test
  void badAnswersAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> parse("not json")).isInstanceOf(CommandAnswer.Invalid.class)
        .extracting(e -> ((CommandAnswer.Invalid) e).error()).isEqualTo("invalid-json");
    assertThatThrownBy(() -> parse("[1]")).extracting(e -> ((CommandAnswer.Invalid) e).error())
        .isEqualTo("invalid-json");
    assertThatThrownBy(() -> parse("{\"status\":\"queued\"}")).extracting(e -> ((CommandAnswer.Invalid) e).error())
        .isEqualTo("invalid-answer");
    assertThatThrownBy(() -> parse("{\"status\":\"succeeded\",\"extra\":1}"))
        .hasMessageContaining("'extra'");
    assertThatThrownBy(() -> parse("{\"status\":\"succeeded\",\"message\":5}")).hasMessageContaining("message");
    byte[] huge = ("{\"status\":\"succeeded\",\"result\":\"" + "x".repeat(CommandAnswer.MAX_BYTES) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CommandAnswer.parse(huge)).extracting(e -> ((CommandAnswer.Invalid) e).error())
        .isEqualTo("too-large");
  }

  /** Wire names of statuses, and which are final. */
  @Test
  void statusesHaveWireNames() {
    assertThat(CommandStatus.TIMED_OUT.wireName()).isEqualTo("timed-out");
    assertThat(CommandStatus.fromWire("timed-out")).contains(CommandStatus.TIMED_OUT);
    assertThat(CommandStatus.DELIVERED.isFinal()).isFalse();
    assertThat(CommandStatus.CANCELLED.isFinal()).isTrue();
  }
}
