package io.flotilla.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.error.ValidationException;
import org.junit.jupiter.api.Test;

class DeviceCursorTest {
  @Test
  void roundTrips() {
    DeviceSort sort = DeviceSort.parse("-createdAt");
    DeviceCursor cursor = new DeviceCursor(sort, "1764000000000", "pump-0042");
    assertThat(DeviceCursor.decode(cursor.encode(), sort)).isEqualTo(cursor);
  }

  /** A cursor from a list in another order would skip or repeat rows, so it is refused. */
  @Test
  void refusesACursorOfAnotherSort() {
    String encoded = new DeviceCursor(DeviceSort.BY_ID, "a", "a").encode();
    assertThatThrownBy(() -> DeviceCursor.decode(encoded, DeviceSort.parse("name")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("sorted by id");
  }

  @Test
  void refusesGarbage() {
    assertThatThrownBy(() -> DeviceCursor.decode("not a cursor!", DeviceSort.BY_ID))
        .isInstanceOf(ValidationException.class).hasMessageContaining("not a cursor");
  }

  @Test
  void sortNamesAreChecked() {
    assertThat(DeviceSort.parse("updatedAt")).isEqualTo(new DeviceSort(DeviceSort.Field.UPDATED_AT, false));
    assertThatThrownBy(() -> DeviceSort.parse("colour")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("cannot be sorted by");
  }
}
