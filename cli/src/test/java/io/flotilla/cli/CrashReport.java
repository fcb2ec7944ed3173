package io.flotilla.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;

/**
 * What each device published, what the broker acknowledged and what the store holds, and where they disagree.
 * Disagreements name the device and the sequence numbers as ranges ({@code 12..40, 57}), so a failure says
 * exactly which messages went missing.
 */
final class CrashReport {
  private static final int RANGES_SHOWN = 20;

  private final int pendingAtKill;
  private final Map<String, String> lostBeforeKill = new LinkedHashMap<>();
  private final Map<String, String> lostAfterKill = new LinkedHashMap<>();
  private final Map<String, String> neverAcknowledged = new LinkedHashMap<>();
  private final Map<String, String> pagingMismatches = new LinkedHashMap<>();
  private final List<String> lines = new ArrayList<>();
  private int acknowledgedBeforeKill;
  private int duplicates;

  CrashReport(int pendingAtKill) {
    this.pendingAtKill = pendingAtKill;
  }

  void add(String deviceId, Set<Long> beforeKill, Set<Long> acknowledged, long lastPublished,
      StoredSequences stored) {
    acknowledgedBeforeKill += beforeKill.size();
    duplicates += stored.duplicates();
    Set<Long> distinct = stored.distinct();
    putIfAny(lostBeforeKill, deviceId, missing(beforeKill, distinct));
    putIfAny(lostAfterKill, deviceId, missing(acknowledged, distinct));
    Set<Long> published = new TreeSet<>(LongStream.rangeClosed(1, lastPublished).boxed().toList());
    putIfAny(neverAcknowledged, deviceId, missing(published, acknowledged));
    if (stored.counted() != stored.values().size()) {
      pagingMismatches.put(deviceId, stored.values().size() + " points read in " + stored.pages() + " pages, "
          + stored.counted() + " counted by the store");
    }
    lines.add(String.format("  %s: published 1..%d, acknowledged %d (%d before the kill), stored %d points"
            + " of %d distinct seq (%d duplicates) in %d page(s), counted %d",
        deviceId, lastPublished, acknowledged.size(), beforeKill.size(), stored.values().size(), distinct.size(),
        stored.duplicates(), stored.pages(), stored.counted()));
  }

  int acknowledgedBeforeKill() {
    return acknowledgedBeforeKill;
  }

  /** Acknowledged before the kill, yet not in the store: what crash safety forbids. */
  Map<String, String> lostBeforeKill() {
    return lostBeforeKill;
  }

  /** Acknowledged at any time, yet not in the store. */
  Map<String, String> lostAfterKill() {
    return lostAfterKill;
  }

  /** Handed to the client and never acknowledged, even after the clients resent them to the restarted server. */
  Map<String, String> neverAcknowledged() {
    return neverAcknowledged;
  }

  /** Devices whose points read page by page differ from the store's own count of them. */
  Map<String, String> pagingMismatches() {
    return pagingMismatches;
  }

  String summary(List<QosOnePublisher> publishers) {
    return "TelemetryCrashIT: " + acknowledgedBeforeKill + " messages acknowledged before the kill, " + pendingAtKill
        + " in flight at the kill, " + duplicates + " stored twice or more; connections per client "
        + publishers.stream().map(p -> p.deviceId() + "=" + p.connections()).toList() + "\n"
        + String.join("\n", lines);
  }

  private static Set<Long> missing(Set<Long> expected, Set<Long> present) {
    Set<Long> missing = new TreeSet<>(expected);
    missing.removeAll(present);
    return missing;
  }

  private static void putIfAny(Map<String, String> map, String deviceId, Set<Long> sequences) {
    if (!sequences.isEmpty()) {
      map.put(deviceId, sequences.size() + " seq: " + ranges(new TreeSet<>(sequences)));
    }
  }

  /** {@code 1, 2, 3, 7, 9, 10} as {@code 1..3, 7, 9..10}, the first {@value #RANGES_SHOWN} ranges only. */
  private static String ranges(TreeSet<Long> sequences) {
    List<String> ranges = new ArrayList<>();
    Iterator<Long> it = sequences.iterator();
    long start = it.next();
    long end = start;
    while (it.hasNext()) {
      long next = it.next();
      if (next != end + 1) {
        ranges.add(start == end ? Long.toString(start) : start + ".." + end);
        start = next;
      }
      end = next;
    }
    ranges.add(start == end ? Long.toString(start) : start + ".." + end);
    return ranges.size() <= RANGES_SHOWN ? String.join(", ", ranges)
        : String.join(", ", ranges.subList(0, RANGES_SHOWN)) + ", … (" + (ranges.size() - RANGES_SHOWN) + " more)";
  }
}
