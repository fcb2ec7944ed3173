package io.flotilla.core.paging;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a list, and the opaque cursor of the next page when there is one. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  /**
   * The page of {@code rows} read with one row more than {@code limit}: that extra row only says there is a next
   * page, whose cursor {@code cursorOf} makes from the page's last item.
   */
  public static <T> Page<T> ofOneMore(List<T> rows, int limit, Function<T, String> cursorOf) {
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(items, Optional.of(cursorOf.apply(items.get(limit - 1))));
  }
}
