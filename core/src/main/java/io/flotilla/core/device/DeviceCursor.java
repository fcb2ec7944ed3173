package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A place in a sorted device list: the sort key and id of the last device returned. The next
 * page starts strictly after it, so rows inserted meanwhile are neither repeated nor skipped.
 *
 * @param sortValue the last row's value of the sort field, as text (epoch millis for times)
 */
public record DeviceCursor(DeviceSort sort, String sortValue, String lastId) {
  private static final char SEP = '\u001f';

  public String encode() {
    String raw = "d1" + SEP + sort.wireName() + SEP + sortValue + SEP + lastId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor and checks that it belongs to a list in the same order. */
  public static DeviceCursor decode(String encoded, DeviceSort expectedSort) {
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] parts = raw.split(String.valueOf(SEP), -1);
    if (parts.length != 4 || !parts[0].equals("d1")) {
      throw invalid();
    }
    DeviceSort sort = DeviceSort.parse(parts[1]);
    if (!sort.equals(expectedSort)) {
      throw new ValidationException("cursor", "the cursor belongs to a list sorted by " + sort.wireName()
          + "; pass the same sort as the first page");
    }
    return new DeviceCursor(sort, parts[2], parts[3]);
  }

  private static ValidationException invalid() {
    return new ValidationException("cursor", "is not a cursor this server issued; pass nextCursor from a previous page");
  }
}
