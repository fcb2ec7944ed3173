package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** GC.heap_info as JDK 25 prints it, for each collector a broker might run with. */
class JvmHeapTest {
  @Test
  void readsG1() {
    assertThat(JvmHeap.parseUsedBytes("""
        27575:
        garbage-first heap   total reserved 6172672K, committed 28672K, used 2913K [0x0000000687400000, 0x0000000800000000)
         region size 4096K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 1234K, committed 1408K, reserved 1114112K
        """)).hasValue(2913L * 1024);
  }

  /** Parallel and Serial have one line per generation; the indented space lines are not counted again. */
  @Test
  void addsTheGenerationsOfParallelAndSerial() {
    assertThat(JvmHeap.parseUsedBytes("""
        27692:
        PSYoungGen      total 113152K, used 100K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
         eden space 97280K, 0% used [0x0000000782700000,0x0000000782700000,0x0000000788600000)
        ParOldGen       total 258048K, used 2925K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
         object space 258048K, 1% used [0x0000000687400000,0x00000006876db7a0,0x0000000697000000)
        """)).hasValue(3025L * 1024);
    assertThat(JvmHeap.parseUsedBytes("""
        DefNew     total 116224K, used 0K [0x0000000687400000, 0x000000068f210000, 0x0000000704d50000)
         eden space 103360K,   0% used [0x0000000687400000, 0x0000000687400000, 0x000000068d8f0000)
        Tenured    total 258048K, used 3054K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
        """)).hasValue(3054L * 1024);
  }

  @Test
  void readsZgcInMegabytes() {
    assertThat(JvmHeap.parseUsedBytes("""
        27999:
        ZHeap            used 4M, capacity 378M, max capacity 6028M
         Cache           374M (2)
        """)).hasValue(4L * 1024 * 1024);
  }

  @Test
  void findsNothingInAnError() {
    assertThat(JvmHeap.parseUsedBytes("12345:\ncom.sun.tools.attach.AttachNotSupportedException: no such process\n"))
        .isEmpty();
  }
}
