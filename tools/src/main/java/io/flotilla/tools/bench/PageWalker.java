package io.flotilla.tools.bench;

import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.paging.Page;
import io.flotilla.core.service.DeviceListRequest;
import io.flotilla.core.service.DeviceService;
import java.util.Optional;

/**
 * Reads one page of a device list per run, following {@code nextCursor} to the last page and
 * then starting over from the first, as a client walking the whole list would.
 */
final class PageWalker implements Runnable {
  private final DeviceService devices;
  private final Principal principal;
  private final DeviceListRequest first;
  private Optional<String> cursor = Optional.empty();

  PageWalker(DeviceService devices, Principal principal, DeviceListRequest first) {
    this.devices = devices;
    this.principal = principal;
    this.first = first;
  }

  @Override
  public void run() {
    DeviceListRequest request = new DeviceListRequest(first.filter(), first.group(), first.sort(), first.limit(),
        cursor);
    Page<Device> page = devices.list(principal, request);
    if (page.items().isEmpty()) {
      throw new IllegalStateException("The device list returned an empty page; the benchmark fleet was not loaded");
    }
    cursor = page.nextCursor();
  }
}
