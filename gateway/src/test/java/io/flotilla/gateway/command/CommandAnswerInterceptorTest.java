package io.flotilla.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandAnswerInterceptorTest {

  /** Only a device's own response topic names a command; its rejections, other devices' and deeper topics do not. */
  @Test
  void commandIdIsReadFromTheDevicesOwnResponseTopicOnly() {
    assertThat(CommandAnswerInterceptor.commandId("devices/d1/commands/cmd_1/response", "d1")).contains("cmd_1");
    assertThat(CommandAnswerInterceptor.commandId("devices/d1/commands/a/b/response", "d1")).contains("a/b");
    assertThat(CommandAnswerInterceptor.commandId("devices/d2/commands/cmd_1/response", "d1")).isEmpty();
    assertThat(CommandAnswerInterceptor.commandId("devices/d1/commands/cmd_1/response/rejected", "d1")).isEmpty();
    assertThat(CommandAnswerInterceptor.commandId("devices/d1/commands/cmd_1", "d1")).isEmpty();
    assertThat(CommandAnswerInterceptor.commandId("devices/d1/commands//response", "d1")).isEmpty();
    assertThat(CommandAnswerInterceptor.commandId("devices/d1/telemetry", "d1")).isEmpty();
    assertThat(CommandAnswerInterceptor.commandId("devices/d10/commands/x/response", "d1")).isEmpty();
  }
}
