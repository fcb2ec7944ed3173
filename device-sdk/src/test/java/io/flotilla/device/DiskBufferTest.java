package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store-and-forward log on disk: order, bounds, acknowledgement, and what survives a reopen or a torn write. */
class DiskBufferTest {
  @TempDir
  Path dir;

  /** Messages come back in append order with their sequence numbers, from any starting point. */
  @Test
  void readsBackInOrderFromAnySequence() {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 1 << 20)) {
      for (int i = 1; i <= 5; i++) {
        assertThat(buffer.append(bytes("{\"n\":" + i + "}"))).isEqualTo(i);
      }
      assertThat(texts(buffer.read(1, 10))).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}",
          "{\"n\":5}");
      assertThat(buffer.read(4, 10)).extracting(BufferedMessage::seq).containsExactly(4L, 5L);
      assertThat(buffer.read(2, 2)).extracting(BufferedMessage::seq).containsExactly(2L, 3L);
      assertThat(buffer.read(6, 10)).isEmpty();
      assertThat(buffer.pending()).isEqualTo(5);
    }
  }

  /** Acknowledged messages are never read again, also after reopening; numbering continues where it stopped. */
  @Test
  void acknowledgedPositionAndUnacknowledgedMessagesSurviveReopening() {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 1 << 20)) {
      for (int i = 1; i <= 10; i++) {
        buffer.append(bytes("{\"n\":" + i + "}"));
      }
      buffer.acknowledge(6);
      assertThat(buffer.read(1, 100)).extracting(BufferedMessage::seq).containsExactly(7L, 8L, 9L, 10L);
    }
    try (DiskBuffer reopened = DiskBuffer.open(dir, 1 << 20)) {
      assertThat(reopened.firstUnacknowledged()).isEqualTo(7);
      assertThat(reopened.pending()).isEqualTo(4);
      assertThat(texts(reopened.read(1, 100))).containsExactly("{\"n\":7}", "{\"n\":8}", "{\"n\":9}", "{\"n\":10}");
      assertThat(reopened.append(bytes("{\"n\":11}"))).isEqualTo(11);
    }
  }

  /** A record cut short by a crash is dropped on reopen, the good ones before it stay, and appends go on after them. */
  @Test
  void tornLastRecordIsCutOnReopen() throws IOException {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 1 << 20)) {
      buffer.append(bytes("{\"n\":1}"));
      buffer.append(bytes("{\"n\":2}"));
    }
    Path segment = segments().getFirst();
    long goodSize = Files.size(segment);
    Files.write(segment, new byte[] {0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2}, StandardOpenOption.APPEND);
    try (DiskBuffer reopened = DiskBuffer.open(dir, 1 << 20)) {
      assertThat(Files.size(segment)).isEqualTo(goodSize);
      assertThat(reopened.nextSeq()).isEqualTo(3);
      assertThat(reopened.append(bytes("{\"n\":3}"))).isEqualTo(3);
      assertThat(texts(reopened.read(1, 10))).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }
  }

  /** A record whose payload no longer matches its checksum ends the log there. */
  @Test
  void corruptedRecordEndsTheLog() throws IOException {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 1 << 20)) {
      buffer.append(bytes("{\"n\":1}"));
      buffer.append(bytes("{\"n\":2}"));
    }
    Path segment = segments().getFirst();
    byte[] content = Files.readAllBytes(segment);
    content[content.length - 2] ^= 0x5;
    Files.write(segment, content);
    try (DiskBuffer reopened = DiskBuffer.open(dir, 1 << 20)) {
      assertThat(texts(reopened.read(1, 10))).containsExactly("{\"n\":1}");
    }
  }

  /** When full, the new message is refused with a clear error and nothing changes; acknowledging makes room. */
  @Test
  void fullBufferRefusesNewMessagesUntilAcknowledgedSegmentsGo() {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 64 * 1024)) {
      byte[] reading = bytes("{\"value\":\"" + "x".repeat(1000) + "\"}");
      long last = 0;
      while (true) {
        try {
          last = buffer.append(reading);
        } catch (BufferFullException e) {
          assertThat(e).hasMessageContaining("telemetry buffer is full").hasMessageContaining("65536");
          break;
        }
      }
      assertThat(last).isBetween(50L, 64L);
      assertThat(buffer.bytes()).isLessThanOrEqualTo(64 * 1024);
      long pendingWhenFull = buffer.pending();
      assertThatThrownBy(() -> buffer.append(reading)).isInstanceOf(BufferFullException.class);
      assertThat(buffer.pending()).isEqualTo(pendingWhenFull);
      assertThat(buffer.segmentCount()).isGreaterThan(4);

      buffer.acknowledge(last - 1);
      assertThat(buffer.segmentCount()).isEqualTo(1);
      assertThat(buffer.append(reading)).isEqualTo(last + 1);
      assertThat(buffer.read(1, 100)).extracting(BufferedMessage::seq).containsExactly(last, last + 1);
    }
  }

  /** Reading across several segment files returns every record once, in order. */
  @Test
  void readsAcrossSegments() {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 64 * 1024)) {
      for (int i = 1; i <= 40; i++) {
        buffer.append(bytes("{\"n\":" + i + ",\"pad\":\"" + "y".repeat(500) + "\"}"));
      }
      assertThat(buffer.segmentCount()).isGreaterThan(3);
      List<BufferedMessage> all = new java.util.ArrayList<>();
      long from = 1;
      List<BufferedMessage> batch;
      while (!(batch = buffer.read(from, 7)).isEmpty()) {
        all.addAll(batch);
        from = batch.getLast().seq() + 1;
      }
      assertThat(all).extracting(BufferedMessage::seq).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
    }
  }

  /** Two buffers never share a folder. */
  @Test
  void aFolderInUseIsRefused() {
    try (DiskBuffer buffer = DiskBuffer.open(dir, 1 << 20)) {
      assertThatThrownBy(() -> DiskBuffer.open(dir, 1 << 20)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use");
    }
  }

  /** The memory buffer keeps the same contract, bounded by bytes. */
  @Test
  void memoryBufferKeepsOrderAndBound() {
    MemoryBuffer buffer = new MemoryBuffer(100);
    assertThat(buffer.append(bytes("{\"n\":1}"))).isEqualTo(1);
    assertThat(buffer.append(bytes("{\"n\":2}"))).isEqualTo(2);
    assertThatThrownBy(() -> buffer.append(new byte[80])).isInstanceOf(BufferFullException.class);
    buffer.acknowledge(1);
    assertThat(buffer.read(1, 10)).extracting(BufferedMessage::seq).containsExactly(2L);
    assertThat(buffer.firstUnacknowledged()).isEqualTo(2);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<BufferedMessage> messages) {
    return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
  }
}
