package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineInfoTest {
  private static final String MEMINFO = """
      MemTotal:       24684096 kB
      MemFree:         1234567 kB
      """;
  private static final String CPUINFO = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      model name\t: AMD EPYC 7B13
      processor\t: 1
      model name\t: AMD EPYC 7B13
      """;

  @Test
  void describesProcessorsModelMemoryAndJava() {
    MachineInfo machine = MachineInfo.parse(2, MEMINFO, CPUINFO, "Java 25");
    assertThat(machine.describe()).isEqualTo("2 CPUs (AMD EPYC 7B13), 23.5 GiB RAM, Java 25");
  }

  /** Without /proc (macOS, say) the line still names what is known. */
  @Test
  void saysUnknownWithoutProc() {
    assertThat(MachineInfo.parse(1, "", "", "Java 21").describe()).isEqualTo("1 CPU, unknown RAM, Java 21");
  }
}
