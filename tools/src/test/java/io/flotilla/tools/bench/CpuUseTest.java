package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CpuUseTest {
  /** Busy time counts user, nice, system, irq, softirq and steal; idle and iowait are not busy. */
  @Test
  void readsTheMachinesBusyTime() {
    String stat = "cpu  100 5 20 9000 300 1 2 3 0 0\ncpu0 50 2 10 4500 150 0 1 1 0 0\nintr 12345\n";
    assertThat(CpuUse.parseMachineBusyNanos(stat)).hasValue(131L * 10_000_000L);
    assertThat(CpuUse.parseMachineBusyNanos("intr 1\n")).isEmpty();
  }

  /** What the machine did beyond the broker and the generator is the others' share. */
  @Test
  void splitsTheMachinesCpuBetweenBrokerGeneratorAndOthers() {
    long second = 1_000_000_000L;
    CpuUse.Sample from = new CpuUse.Sample(0, OptionalLong.of(0), OptionalLong.of(0), OptionalLong.of(0));
    CpuUse.Sample until = new CpuUse.Sample(2 * second, OptionalLong.of(second), OptionalLong.of(second / 2),
        OptionalLong.of(2 * second));
    CpuUse use = CpuUse.between(from, until);
    assertThat(use.broker().getAsDouble()).isCloseTo(0.5, within(1e-9));
    assertThat(use.generator().getAsDouble()).isCloseTo(0.25, within(1e-9));
    assertThat(use.others().getAsDouble()).isCloseTo(0.25, within(1e-9));
    assertThat(use.noisy()).isFalse();
  }

  @Test
  void hasNoOthersWithoutTheMachinesFigure() {
    CpuUse.Sample from = new CpuUse.Sample(0, OptionalLong.of(0), OptionalLong.of(0), OptionalLong.empty());
    CpuUse.Sample until = new CpuUse.Sample(1_000, OptionalLong.of(1_000), OptionalLong.of(0), OptionalLong.empty());
    assertThat(CpuUse.between(from, until).others()).isEmpty();
    assertThat(CpuUse.between(from, until).noisy()).isFalse();
  }
}
