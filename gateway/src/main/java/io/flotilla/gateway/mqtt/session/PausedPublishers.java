package io.flotilla.gateway.mqtt.session;

import java.util.ArrayList;
import java.util.List;

/** The publishers one session has paused because its queue grew long; guarded by the session's monitor. */
final class PausedPublishers {

  private List<Throttle> paused;

  /** Pauses {@code publisher} unless this session paused it already. */
  void pause(Throttle publisher) {
    if (paused == null) {
      paused = new ArrayList<>(2);
    }
    if (!paused.contains(publisher)) {
      paused.add(publisher);
      publisher.pause();
    }
  }

  boolean any() {
    return paused != null && !paused.isEmpty();
  }

  void resumeAll() {
    if (any()) {
      paused.forEach(Throttle::resume);
      paused.clear();
    }
  }
}
