package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {
  @Test
  void readsTheResidentSetSizeInBytes() {
    String status = """
        Name:\tmosquitto
        VmPeak:\t   20480 kB
        VmRSS:\t    5676 kB
        RssAnon:\t    1200 kB
        """;
    assertThat(ProcessStats.parseResidentBytes(status)).hasValue(5676L * 1024);
    assertThat(ProcessStats.parseResidentBytes("Name:\tkthreadd\n")).isEmpty();
  }

  /** utime and stime are counted after the command name, which may itself hold spaces and parentheses. */
  @Test
  void readsUserAndSystemTimeAfterTheCommandName() {
    String stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1500 0 0 0 250 50 0 0 20 0 9 0 123 4567 89";
    assertThat(ProcessStats.parseCpuNanos(stat)).hasValue(300L * 10_000_000L);
    assertThat(ProcessStats.parseCpuNanos("garbage")).isEmpty();
  }

  @Test
  void readsTheSoftLimitOnOpenFiles() {
    String limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max processes             95863                95863                processes
        Max open files            20000                40000                files
        """;
    assertThat(ProcessStats.parseOpenFilesLimit(limits)).hasValue(20_000L);
    assertThat(ProcessStats.parseOpenFilesLimit("Max open files  unlimited  unlimited  files"))
        .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
  }

  /** This very process can be read, on Linux. */
  @Test
  void readsItsOwnProcess() {
    long pid = ProcessHandle.current().pid();
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertThat(ProcessStats.residentBytes(pid)).isPresent();
      assertThat(ProcessStats.cpuNanos(pid).orElseThrow()).isPositive();
      assertThat(ProcessStats.openFilesLimit(pid)).isPresent();
    }
  }
}
