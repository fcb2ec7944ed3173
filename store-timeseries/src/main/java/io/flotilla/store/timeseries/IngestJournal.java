package io.flotilla.store.timeseries;

import io.flotilla.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of numbered records in segment files ({@code <first number>.seg}). A record is
 * {@code length, CRC32C, number, bytes}; it is durable once {@link #syncThrough} covering it returns. At open a torn
 * or corrupt tail (a crash mid-write: never acknowledged, because the sync had not returned) is cut off.
 *
 * <p>{@link #append} is for one thread at a time (callers hold their own lock); {@link #syncThrough} may run
 * from several threads at once and syncs for all of them (group commit); {@link #release} from any thread.
 */
final class IngestJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJournal.class);
  private static final String SUFFIX = ".seg";
  private static final int HEADER = Integer.BYTES + Integer.BYTES + Long.BYTES;
  /** A record is at most one group of the bus and its rejections; anything larger is corruption. */
  static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;

  private final Path folder;
  private final long segmentBytes;
  private final Object syncLock = new Object();
  private final List<Segment> closedSegments = new ArrayList<>();
  private OpenSegment current;
  private volatile long lastNumber;
  private volatile long syncedNumber;

  /** A segment no longer written; {@code lastNumber} is its first number − 1 while it holds no record. */
  private record Segment(Path file, long lastNumber) {
  }

  private IngestJournal(Path folder, long segmentBytes) {
    this.folder = folder;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens the journal in {@code folder} (created when missing), cutting off a torn tail; new records are numbered
   * after both the last record found and {@code notBelow} (what a store applied may outlive a deleted journal).
   */
  static IngestJournal open(Path folder, long segmentBytes, long notBelow) {
    IngestJournal journal = new IngestJournal(folder, segmentBytes);
    try {
      Files.createDirectories(folder);
      long last = notBelow;
      for (Path file : journal.segmentFiles()) {
        long found = scan(file, (n, bytes) -> { }, true);
        journal.closedSegments.add(new Segment(file, found));
        last = Math.max(last, found);
      }
      journal.lastNumber = last;
      journal.syncedNumber = last;
      return journal;
    } catch (IOException e) {
      throw new StoreException("Cannot open the telemetry journal in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Hands every record numbered above {@code after} to {@code consumer}, oldest first. */
  void replay(long after, BiConsumer<Long, byte[]> consumer) {
    for (Segment segment : List.copyOf(closedSegments)) {
      if (segment.lastNumber() > after) {
        try {
          scan(segment.file(), (n, bytes) -> {
            if (n > after) {
              consumer.accept(n, bytes);
            }
          }, false);
        } catch (IOException e) {
          throw new StoreException("Cannot read the telemetry journal " + segment.file() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Writes a record (not yet synced) and returns its number. */
  long append(byte[] bytes) {
    try {
      if (current == null || current.channel.size() >= segmentBytes) {
        roll();
      }
      long number = lastNumber + 1;
      ByteBuffer buffer = ByteBuffer.allocate(HEADER + bytes.length);
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      buffer.putInt(bytes.length).putInt((int) crc.getValue()).putLong(number).put(bytes).flip();
      while (buffer.hasRemaining()) {
        current.channel.write(buffer);
      }
      current.last = number;
      lastNumber = number;
      return number;
    } catch (IOException e) {
      throw new StoreException("Cannot write the telemetry journal in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Returns once every record up to {@code number} is on disk; one sync serves every caller waiting. */
  void syncThrough(long number) {
    if (syncedNumber >= number) {
      return;
    }
    synchronized (syncLock) {
      if (syncedNumber >= number) {
        return;
      }
      long target = lastNumber;
      OpenSegment open = current;
      try {
        if (open != null) {
          open.channel.force(false);
        }
      } catch (IOException e) {
        throw new StoreException("Cannot sync the telemetry journal in " + folder + ": " + e.getMessage(), e);
      }
      syncedNumber = Math.max(syncedNumber, target);
    }
  }

  long lastNumber() {
    return lastNumber;
  }

  /** Deletes the closed segments whose records are all at or below {@code applied}. */
  synchronized void release(long applied) {
    List<Segment> keep = new ArrayList<>();
    for (Segment segment : closedSegments) {
      if (segment.lastNumber() <= applied) {
        try {
          Files.deleteIfExists(segment.file());
        } catch (IOException e) {
          LOG.warn("Could not delete the applied telemetry journal segment {}: {}", segment.file(), e.toString());
          keep.add(segment);
        }
      } else {
        keep.add(segment);
      }
    }
    closedSegments.clear();
    closedSegments.addAll(keep);
  }

  long diskBytes() {
    try (Stream<Path> files = Files.list(folder)) {
      return files.mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public synchronized void close() {
    closeCurrent();
  }

  private synchronized void roll() throws IOException {
    closeCurrent();
    long first = lastNumber + 1;
    Path file = folder.resolve(String.format("%020d%s", first, SUFFIX));
    current = new OpenSegment(file, first, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE));
  }

  private void closeCurrent() {
    OpenSegment open = current;
    if (open == null) {
      return;
    }
    synchronized (syncLock) {
      try {
        open.channel.force(false);
        open.channel.close();
      } catch (IOException e) {
        throw new StoreException("Cannot close the telemetry journal segment " + open.file + ": " + e.getMessage(), e);
      }
      syncedNumber = Math.max(syncedNumber, open.last);
    }
    closedSegments.add(new Segment(open.file, open.last));
    current = null;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  private static long firstNumberOf(Path file) {
    String name = file.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      throw new StoreException("The telemetry journal holds a file it did not write: " + file, e);
    }
  }

  /**
   * Reads a segment's records in order; at the first incomplete or corrupt one, cuts the file there when
   * {@code repair}. Returns the last good record's number (the first number − 1 when there is none).
   */
  private static long scan(Path file, BiConsumer<Long, byte[]> consumer, boolean repair) throws IOException {
    long last = firstNumberOf(file) - 1;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long position = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (true) {
        header.clear();
        if (position + HEADER > size || readFully(channel, header, position) < HEADER) {
          break;
        }
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        long number = header.getLong();
        if (length < 0 || length > MAX_RECORD_BYTES || position + HEADER + length > size || number != last + 1) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body, position + HEADER);
        CRC32C check = new CRC32C();
        check.update(body.array());
        if ((int) check.getValue() != crc) {
          break;
        }
        consumer.accept(number, body.array());
        last = number;
        position += HEADER + length;
      }
      if (position < size && repair) {
        LOG.warn("Cutting {} bytes of an unfinished record off the telemetry journal {} (a crash while writing it;"
            + " it was never acknowledged)", size - position, file);
        channel.truncate(position);
        channel.force(true);
      }
    }
    return last;
  }

  private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    int total = 0;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  /** The segment being written. */
  private static final class OpenSegment {
    final Path file;
    final FileChannel channel;
    long last;

    OpenSegment(Path file, long first, FileChannel channel) {
      this.file = file;
      this.channel = channel;
      this.last = first - 1;
    }
  }
}
