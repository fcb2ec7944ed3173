package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static io.flotilla.store.sql.RegistryFixtures.byProfile;
import static io.flotilla.store.sql.RegistryFixtures.changed;
import static io.flotilla.store.sql.RegistryFixtures.cursorAfter;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCursor;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.store.RegistryTx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

public abstract class DeviceListContract extends ContractPart {
  // Mixed case on purpose: both engines must order text byte by byte, whatever the database's locale.
  private static final List<String> NAMES = List.of("alpha", "Beta", "gamma", "Beta", "_under", "alpha 2");
  private static final List<String> PROFILES = List.of("sensor", "gateway", "Meter");

  static Stream<DeviceSort> everySort() {
    return Stream.of(DeviceSort.Field.values())
        .flatMap(field -> Stream.of(new DeviceSort(field, false), new DeviceSort(field, true)));
  }

  /** Every sort field, in both directions, orders by its value then id, and pages without gaps or repeats. */
  @ParameterizedTest
  @MethodSource("everySort")
  void everySortOrdersByItsFieldThenIdAndPagesWithoutGapsOrRepeats(DeviceSort sort) {
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Device created = device(ACME, String.format("dev-%02d", i), NAMES.get(i % NAMES.size()),
          PROFILES.get(i % PROFILES.size()), DeviceStatus.values()[i % 4], Map.of(), T0.plusSeconds(i % 7));
      devices.add(changed(created, created.name(), created.status(), Map.of(), T0.plusSeconds(100 + i % 5)));
    }
    List<Device> shuffled = new ArrayList<>(devices);
    Collections.shuffle(shuffled, new Random(7));
    inWrite(tx -> {
      shuffled.forEach(tx.devices()::insert);
      tx.devices().insert(device(GLOBEX, "dev-00"));
    });
    List<Device> expected = devices.stream().sorted(order(sort)).toList();

    assertThat(read((RegistryTx tx) -> tx.devices().list(ACME, List.of(), sort, Optional.empty(), 100))).containsExactlyElementsOf(expected);
    assertThat(pageThrough(sort, List.of(), 6, page -> { })).containsExactlyElementsOf(expected);
    assertThat(pageThrough(sort, List.of(byProfile("Meter")), 4, page -> { }))
        .containsExactlyElementsOf(expected.stream().filter(d -> d.profile().equals("Meter")).toList());
  }

  /**
   * Rows added or removed between pages are neither repeated nor skipped: every row that sorts
   * after the cursor when its page is read is returned once, rows before it never.
   */
  @ParameterizedTest
  @ValueSource(strings = {"createdAt", "-createdAt", "name", "-id"})
  void pagingSurvivesRowsAddedAndRemovedBetweenPages(String wireSort) {
    DeviceSort sort = DeviceSort.parse(wireSort);
    inWrite(tx -> tx.devices().insertAll(IntStream.range(0, 50).mapToObj(i -> device(ACME,
        String.format("dev-%02d", i), String.format("name-%02d", i), "sensor", DeviceStatus.ACTIVE, Map.of(),
        T0.plusSeconds(i))).toList()));
    Comparator<Device> order = order(sort);
    List<Device> addedAfterCursor = new ArrayList<>();
    List<Device> addedBeforeCursor = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    int[] round = {0};

    List<Device> seen = pageThrough(sort, List.of(), 7, seenSoFar -> {
      Device lastOfPage = seenSoFar.get(seenSoFar.size() - 1);
      int r = round[0]++;
      // Tied with the cursor's sort value, or at the very ends of the order.
      List<Device> candidates = List.of(
          device(ACME, lastOfPage.id().value() + "a", lastOfPage.name(), "sensor", DeviceStatus.ACTIVE, Map.of(),
              lastOfPage.createdAt()),
          device(ACME, "dev-" + r + "-early", "name-" + r, "sensor", DeviceStatus.ACTIVE, Map.of(),
              T0.minusSeconds(1000 + r)),
          device(ACME, "dev-" + r + "-late", "name-99-" + r, "sensor", DeviceStatus.ACTIVE, Map.of(),
              T0.plusSeconds(1000 + r)));
      inWrite(tx -> candidates.forEach(tx.devices()::insert));
      for (Device candidate : candidates) {
        (order.compare(candidate, lastOfPage) > 0 ? addedAfterCursor : addedBeforeCursor).add(candidate);
      }
      // Deleting a row not yet returned must drop it from later pages without disturbing them.
      String victim = String.format("dev-%02d", 20 + r);
      boolean unseen = seenSoFar.stream().noneMatch(d -> d.id().value().equals(victim));
      if (unseen && write((RegistryTx tx) -> tx.devices().delete(ACME, new DeviceId(victim)))) {
        deleted.add(victim);
      }
    });

    assertThat(seen).doesNotHaveDuplicates().isSortedAccordingTo(order);
    assertThat(seen).containsAll(addedAfterCursor).doesNotContainAnyElementsOf(addedBeforeCursor);
    assertThat(seen).extracting(d -> d.id().value()).doesNotContainAnyElementsOf(deleted);
    List<Device> survivors = read((RegistryTx tx) -> tx.devices().list(ACME, List.of(), sort, Optional.empty(), 1000)).stream()
        .filter(d -> d.id().value().matches("dev-\\d\\d")).toList();
    assertThat(seen).containsAll(survivors);
  }

  /** Pages through the list like a client, calling {@code betweenPages} with the rows seen so far. */
  private List<Device> pageThrough(DeviceSort sort, List<DeviceFilter> filters, int pageSize,
      Consumer<List<Device>> betweenPages) {
    List<Device> seen = new ArrayList<>();
    Optional<DeviceCursor> cursor = Optional.empty();
    for (int pages = 0; pages < 1000; pages++) {
      Optional<DeviceCursor> after = cursor;
      List<Device> page = read((RegistryTx tx) -> tx.devices().list(ACME, filters, sort, after, pageSize));
      assertThat(page.size()).isLessThanOrEqualTo(pageSize);
      seen.addAll(page);
      if (page.size() < pageSize) {
        return seen;
      }
      betweenPages.accept(Collections.unmodifiableList(seen));
      cursor = Optional.of(cursorAfter(page.get(page.size() - 1), sort));
    }
    throw new AssertionError("paging did not end");
  }

  private static Comparator<Device> order(DeviceSort sort) {
    Comparator<Device> byField = switch (sort.field()) {
      case ID -> Comparator.comparing(d -> d.id().value());
      case CREATED_AT -> Comparator.comparing(Device::createdAt);
      case UPDATED_AT -> Comparator.comparing(Device::updatedAt);
      case NAME -> Comparator.comparing(Device::name);
      case STATUS -> Comparator.comparing(d -> d.status().wireName());
      case PROFILE -> Comparator.comparing(Device::profile);
    };
    Comparator<Device> total = byField.thenComparing(d -> d.id().value());
    return sort.descending() ? total.reversed() : total;
  }
}
