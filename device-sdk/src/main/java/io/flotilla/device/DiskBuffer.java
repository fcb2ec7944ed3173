package io.flotilla.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A {@link TelemetryBuffer} on disk that survives a restart of the process (and, with {@code
 * syncEveryAppend}, of the machine): an append-only log cut into segment files, plus a durable read
 * position.
 *
 * <p>Layout of the folder: {@code <first seq, 20 digits>.seg} segment files, each a run of records
 * {@code [int payload length][long seq][int CRC-32C of the payload][payload]}; {@code acked} holds the
 * last acknowledged sequence number (twice, the second copy inverted, so that a torn write is seen);
 * {@code buffer.lock} is held while the buffer is open, so two processes never share a folder.
 *
 * <p>Durability: with {@code syncEveryAppend} (the default) {@link #append} returns only after the
 * record is forced to the device (fsync), so an accepted message survives a power cut; without it the
 * record is in the operating system's cache and survives a crash of the process but not of the
 * machine. The acknowledged position is written without fsync: after a crash the buffer may resend
 * messages the platform had acknowledged — duplicates QoS 1 allows — but never skips one.
 *
 * <p>On open, the last segment is read through and cut at the first record that is incomplete or fails
 * its checksum (a write torn by a crash; such a record was never acknowledged to the caller when
 * {@code syncEveryAppend} is on). Segments whose every record is acknowledged are deleted.
 *
 * <p>Bound: the bytes of the live segment files, including acknowledged records at the head of the
 * oldest one until it is deleted. When full, {@link #append} refuses with {@link BufferFullException}.
 */
public final class DiskBuffer implements TelemetryBuffer {
  static final int HEADER = 16;
  /** The largest record payload the scan accepts; anything larger is a torn or foreign file. */
  static final int MAX_PAYLOAD = 16 * 1024 * 1024;
  private static final long POSITION_CHECK = 0x5A5A_F10F_11A0_0001L;

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final boolean syncEveryAppend;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel positionFile;
  /** First sequence number of each segment → its size in bytes. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private FileChannel active;
  private long activeFirst;
  private long nextSeq;
  private long acked;
  private long bytes;
  private long cursorSeq = -1;
  private long cursorSegment;
  private long cursorOffset;
  private boolean closed;

  private DiskBuffer(Path dir, long maxBytes, long segmentBytes, boolean syncEveryAppend) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.syncEveryAppend = syncEveryAppend;
    Files.createDirectories(dir);
    lockChannel = FileChannel.open(dir.resolve("buffer.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      held = null;
    }
    lock = held;
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException("the buffer folder " + dir + " is in use by another open buffer; give each device "
          + "a folder of its own");
    }
    positionFile = FileChannel.open(dir.resolve("acked"), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    recover();
  }

  /**
   * Opens (or creates) the buffer in {@code dir}, holding at most {@code maxBytes}; fsync on every append.
   * Segments are a sixteenth of the bound, between 4 KiB and 8 MiB.
   */
  public static DiskBuffer open(Path dir, long maxBytes) {
    return open(dir, maxBytes, true);
  }

  /** Opens (or creates) the buffer; {@code syncEveryAppend} false trades power-cut safety for speed. */
  public static DiskBuffer open(Path dir, long maxBytes, boolean syncEveryAppend) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 1024, was " + maxBytes);
    }
    long segment = Math.clamp(maxBytes / 16, 4096, 8L * 1024 * 1024);
    try {
      return new DiskBuffer(dir, maxBytes, segment, syncEveryAppend);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the telemetry buffer in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void recover() throws IOException {
    acked = readPosition();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.matches("\\d{20}\\.seg")) {
          segments.put(Long.parseLong(name.substring(0, 20)), Files.size(file));
        }
      }
    }
    if (segments.isEmpty()) {
      nextSeq = acked + 1;
    } else {
      long last = segments.lastKey();
      nextSeq = scanAndTruncate(last);
    }
    if (acked >= nextSeq) {
      acked = nextSeq - 1;
    }
    deleteAcknowledgedSegments();
    if (segments.isEmpty() || segments.lastEntry().getValue() >= segmentBytes) {
      roll();
    } else {
      activeFirst = segments.lastKey();
      active = FileChannel.open(segmentPath(activeFirst), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    bytes = segments.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Reads the segment through, cuts it after its last good record, and returns the sequence after that. */
  private long scanAndTruncate(long first) throws IOException {
    long seq = first;
    long offset = 0;
    try (FileChannel ch = FileChannel.open(segmentPath(first), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (offset + HEADER <= size) {
        header.clear();
        readFully(ch, header, offset);
        header.flip();
        int length = header.getInt();
        long recordSeq = header.getLong();
        int crc = header.getInt();
        if (length < 0 || length > MAX_PAYLOAD || recordSeq != seq || offset + HEADER + length > size) {
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, offset + HEADER);
        if (crc(payload.array()) != crc) {
          break;
        }
        offset += HEADER + length;
        seq++;
      }
      if (offset < size) {
        System.getLogger(DiskBuffer.class.getName()).log(System.Logger.Level.WARNING,
            "Telemetry buffer " + dir + ": cut " + (size - offset) + " bytes of an incomplete record after seq "
                + (seq - 1) + " (a write interrupted by a crash).");
        ch.truncate(offset);
        ch.force(true);
      }
    }
    segments.put(first, offset);
    return seq;
  }

  private long readPosition() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16);
    if (positionFile.size() < 16) {
      return 0;
    }
    readFully(positionFile, b, 0);
    b.flip();
    long seq = b.getLong();
    long check = b.getLong();
    return (seq ^ POSITION_CHECK) == check && seq >= 0 ? seq : 0;
  }

  @Override
  public synchronized long append(byte[] payload) {
    ensureOpen();
    int size = HEADER + payload.length;
    if (payload.length > MAX_PAYLOAD || bytes + size > maxBytes) {
      throw new BufferFullException(bytes, maxBytes, size);
    }
    try {
      if (segments.get(activeFirst) >= segmentBytes) {
        roll();
      }
      ByteBuffer record = ByteBuffer.allocate(size);
      record.putInt(payload.length).putLong(nextSeq).putInt(crc(payload)).put(payload).flip();
      while (record.hasRemaining()) {
        active.write(record);
      }
      if (syncEveryAppend) {
        active.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the telemetry buffer in " + dir + ": " + e.getMessage(), e);
    }
    segments.merge(activeFirst, (long) size, Long::sum);
    bytes += size;
    return nextSeq++;
  }

  private void roll() throws IOException {
    if (active != null) {
      active.force(false);
      active.close();
    }
    activeFirst = nextSeq;
    active = FileChannel.open(segmentPath(activeFirst), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    segments.putIfAbsent(activeFirst, active.size());
  }

  @Override
  public synchronized List<BufferedMessage> read(long fromSeq, int max) {
    ensureOpen();
    long from = Math.max(fromSeq, acked + 1);
    List<BufferedMessage> out = new ArrayList<>();
    if (from >= nextSeq || max < 1) {
      return out;
    }
    long segment;
    long offset;
    long seq;
    if (cursorSeq == from && segments.containsKey(cursorSegment)) {
      segment = cursorSegment;
      offset = cursorOffset;
      seq = cursorSeq;
    } else {
      segment = segments.floorKey(from);
      offset = 0;
      seq = segment;
    }
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      while (out.size() < max && seq < nextSeq) {
        long size = segments.get(segment);
        try (FileChannel ch = FileChannel.open(segmentPath(segment), StandardOpenOption.READ)) {
          while (out.size() < max && offset + HEADER <= size) {
            header.clear();
            readFully(ch, header, offset);
            header.flip();
            int length = header.getInt();
            long recordSeq = header.getLong();
            header.getInt();
            if (recordSeq >= from) {
              ByteBuffer payload = ByteBuffer.allocate(length);
              readFully(ch, payload, offset + HEADER);
              out.add(new BufferedMessage(recordSeq, payload.array()));
            }
            offset += HEADER + length;
            seq = recordSeq + 1;
          }
        }
        if (out.size() < max && offset + HEADER > size) {
          Map.Entry<Long, Long> next = segments.higherEntry(segment);
          if (next == null) {
            break;
          }
          segment = next.getKey();
          offset = 0;
          seq = segment;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the telemetry buffer in " + dir + ": " + e.getMessage(), e);
    }
    cursorSegment = segment;
    cursorOffset = offset;
    cursorSeq = seq;
    return out;
  }

  @Override
  public synchronized void acknowledge(long seq) {
    ensureOpen();
    long upTo = Math.min(seq, nextSeq - 1);
    if (upTo <= acked) {
      return;
    }
    acked = upTo;
    try {
      ByteBuffer b = ByteBuffer.allocate(16).putLong(acked).putLong(acked ^ POSITION_CHECK).flip();
      while (b.hasRemaining()) {
        positionFile.write(b, b.position());
      }
      deleteAcknowledgedSegments();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the acknowledged position in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Deletes every segment but the newest whose records are all acknowledged. */
  private void deleteAcknowledgedSegments() throws IOException {
    while (segments.size() > 1) {
      Map.Entry<Long, Long> oldest = segments.firstEntry();
      long nextFirst = segments.higherKey(oldest.getKey());
      if (nextFirst - 1 > acked) {
        return;
      }
      Files.deleteIfExists(segmentPath(oldest.getKey()));
      segments.remove(oldest.getKey());
      bytes -= oldest.getValue();
    }
  }

  @Override
  public synchronized long firstUnacknowledged() {
    return acked + 1;
  }

  @Override
  public synchronized long nextSeq() {
    return nextSeq;
  }

  @Override
  public synchronized long bytes() {
    return bytes;
  }

  /** How many segment files the buffer holds now. */
  synchronized int segmentCount() {
    return segments.size();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      active.force(false);
      active.close();
      positionFile.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the telemetry buffer in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the telemetry buffer in " + dir + " is closed");
    }
  }

  private Path segmentPath(long first) {
    return dir.resolve(String.format("%020d.seg", first));
  }

  private static int crc(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return (int) crc.getValue();
  }

  private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int n = ch.read(into, at);
      if (n < 0) {
        throw new IOException("unexpected end of " + ch + " at " + at);
      }
      at += n;
    }
  }
}
